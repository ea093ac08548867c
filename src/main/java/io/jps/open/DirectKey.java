package io.jps.open;

import javax.crypto.SecretKey;

/**
 * The request's own content key, for an answer encrypted with {@code alg: dir}. Asked for only when an answer
 * is one: a damaged key header must not stand in the way of an answer that does not need it.
 */
@FunctionalInterface
public interface DirectKey {

    /** @return the key, or null when there is none */
    SecretKey get() throws OpenFailure;
}
