package io.flowgate.api;

import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;

/**
 * A numeric query parameter, read as text: JAX-RS answers an unparsable one with 404, a client
 * deserves 400 VALIDATION_FAILED naming the parameter and its range.
 */
final class QueryNumber {

  private QueryNumber() {}

  static long of(String name, String text, long fallback, long min, long max) {
    if (text == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new FlowgateException(
        ErrorCode.VALIDATION_FAILED, name + ": an integer between " + min + " and " + max);
  }
}
