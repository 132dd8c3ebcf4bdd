package io.herald.pipeline.provider.matrix;

import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.matrix.MatrixConfig;
import io.herald.core.provider.matrix.MatrixDescriptor;
import io.herald.pipeline.provider.Provider;
import io.herald.pipeline.provider.ProviderFactory;
import java.time.Clock;

/** Builds the matrix provider from {@code providers.matrix}. */
public final class MatrixFactory implements ProviderFactory<MatrixConfig> {

    @Override
    public ProviderDescriptor<MatrixConfig> descriptor() {
        return new MatrixDescriptor();
    }

    @Override
    public Provider build(MatrixConfig config, Clock clock) {
        return new MatrixProvider(config, clock);
    }
}
