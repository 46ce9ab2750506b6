package io.riskgrid.jobs.serve;

import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.policy.MarginPolicy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

/**
 * How {@code serve} runs: where it listens, who may call it and how much it reads.
 *
 * @param bind               the address to listen on (127.0.0.1 unless told otherwise)
 * @param port               the port; 0 picks a free one
 * @param policy             the policy of requests that give none
 * @param kernel             the kernel every request runs on
 * @param token              the bearer token callers must send, or null for no authentication
 * @param policyFilesAllowed whether a request's policy string may name a file on this machine
 * @param maxBodyBytes       the largest request body read; larger ones get 413
 * @param idleTimeout        how long a connection may send nothing before it is closed
 * @param threads            the most worker threads (HTTP connections served at once)
 * @param workers            the most requests valued at once, each by a warm {@code WhatIfService} of its
 *                           own; requests beyond wait in arrival order
 */
record ServeConfig(String bind, int port, MarginPolicy policy, RiskKernel kernel, String token, boolean policyFilesAllowed,
    long maxBodyBytes, Duration idleTimeout, int threads, int workers) {

  ServeConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535, got " + port);
    }
    if (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("max body bytes must be in 1.." + (Integer.MAX_VALUE - 16) + ", got " + maxBodyBytes);
    }
    if (workers < 1 || workers > threads) {
      throw new IllegalArgumentException("workers must be in 1.." + threads + " (the threads), got " + workers);
    }
    if (token != null && token.isBlank()) {
      throw new IllegalArgumentException("the bearer token is empty");
    }
  }

  /** SHA-256 of {@code "Bearer " + token}: what an Authorization header is compared with, in constant time. */
  byte[] expectedAuthorization() {
    return token == null ? null : sha256("Bearer " + token);
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
