package io.herald.pipeline.provider.sendgrid;

import io.herald.pipeline.provider.http.HttpJson;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.http.HttpEntity;
import org.apache.http.HttpResponseInterceptor;
import org.apache.http.conn.ConnectionReleaseTrigger;
import org.apache.http.entity.HttpEntityWrapper;

/**
 * The SendGrid library reads a whole answer into a String; this cuts what it can read at
 * {@link HttpJson#MAX_ANSWER_BYTES}, the same bound as every other provider's answers, and drops the connection instead
 * of draining a body that goes on.
 */
final class CappedAnswer extends HttpEntityWrapper {

    static final HttpResponseInterceptor INTERCEPTOR = (response, context) -> {
        HttpEntity entity = response.getEntity();
        if (entity != null) {
            response.setEntity(new CappedAnswer(entity, HttpJson.MAX_ANSWER_BYTES));
        }
    };

    private final int limit;

    private CappedAnswer(HttpEntity entity, int limit) {
        super(entity);
        this.limit = limit;
    }

    @Override
    public long getContentLength() {
        long length = super.getContentLength();
        return length >= 0 && length <= limit ? length : -1;
    }

    @Override
    public InputStream getContent() throws IOException {
        return new Capped(super.getContent(), limit);
    }

    private static final class Capped extends FilterInputStream {

        private long left;
        private boolean cut;

        Capped(InputStream in, int limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                cut = true;
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                cut = true;
                return -1;
            }
            int n = super.read(buffer, offset, (int) Math.min(length, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            if (cut && in instanceof ConnectionReleaseTrigger trigger) {
                // Closing normally would read the rest of the body to reuse the connection.
                trigger.abortConnection();
            } else {
                super.close();
            }
        }
    }
}
