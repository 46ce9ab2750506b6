package io.riskgrid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class InvalidInputExceptionTest {
  @Test
  void theSameComplaintAboutAnotherFieldNamesOnlyThatField() {
    InvalidInputException e = new InvalidInputException("--set", "unknown stress set 'nope'; use hist-1d: or depeg");
    InvalidInputException renamed = e.about("--stress");
    assertEquals("--stress", renamed.field());
    assertEquals("--stress: unknown stress set 'nope'; use hist-1d: or depeg", renamed.getMessage());
    assertEquals("--set: unknown stress set 'nope'; use hist-1d: or depeg", e.getMessage(), "the original is unchanged");
  }
}
