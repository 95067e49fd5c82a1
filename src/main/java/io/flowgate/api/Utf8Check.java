package io.flowgate.api;

/**
 * Well-formed UTF-8 as Unicode 15 Table 3-7 defines it, the same bytes the JDK's decoder accepts
 * with {@code CodingErrorAction.REPORT}: no overlong forms, no encoded surrogates, nothing above
 * U+10FFFF, no stray or truncated bytes. Hand-written because the JDK only checks by decoding,
 * which allocates the whole text.
 */
final class Utf8Check {

  private Utf8Check() {}

  /** Whether bytes[from, to) are well-formed UTF-8. */
  static boolean wellFormed(byte[] bytes, int from, int to) {
    int i = from;
    while (i < to) {
      int b = bytes[i];
      if (b >= 0) {
        i++;
        continue;
      }
      b &= 0xFF;
      int length;
      int low = 0x80;
      int high = 0xBF;
      if (b >= 0xC2 && b <= 0xDF) {
        length = 2;
      } else if (b >= 0xE0 && b <= 0xEF) {
        length = 3;
        if (b == 0xE0) {
          low = 0xA0;
        } else if (b == 0xED) {
          high = 0x9F;
        }
      } else if (b >= 0xF0 && b <= 0xF4) {
        length = 4;
        if (b == 0xF0) {
          low = 0x90;
        } else if (b == 0xF4) {
          high = 0x8F;
        }
      } else {
        return false;
      }
      if (to - i < length) {
        return false;
      }
      int second = bytes[i + 1] & 0xFF;
      if (second < low || second > high) {
        return false;
      }
      for (int k = 2; k < length; k++) {
        if ((bytes[i + k] & 0xC0) != 0x80) {
          return false;
        }
      }
      i += length;
    }
    return true;
  }
}
