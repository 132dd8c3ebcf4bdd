package io.herald.pipeline.provider.matrix;

import io.herald.core.config.ProviderConfig;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.matrix.MatrixDescriptor;
import io.herald.pipeline.provider.Provider;
import io.herald.pipeline.provider.ProviderFactory;

import java.time.Clock;

/** Builds the matrix provider from {@code providers.matrix}. */
public final class MatrixFactory implements ProviderFactory<ProviderConfig.Matrix> {

    @Override
    public ProviderDescriptor<ProviderConfig.Matrix> descriptor() {
        return new MatrixDescriptor();
    }

    @Override
    public Provider build(ProviderConfig.Matrix config, Clock clock) {
        return new MatrixProvider(config, clock);
    }
}
