package io.flowgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The hand-written UTF-8 check accepts exactly what the JDK's strict decoder accepts: every
 * sequence of one or two bytes, every three-byte one and every four-byte one from a lead byte F0
 * whose bytes after the second lie on the boundaries of the byte ranges (whether a byte is valid
 * there depends only on its range), and random mixes. A mapper made strict by {@link StrictJson}
 * refuses such bytes however it is given them.
 */
class Utf8CheckTest {

  private static final int[] EDGES = {0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};

  @Test
  void oneTwoAndThreeByteSequencesAgreeWithTheJdk() {
    byte[] one = new byte[1];
    byte[] two = new byte[2];
    byte[] three = new byte[3];
    for (int a = 0; a < 256; a++) {
      one[0] = (byte) a;
      agree(one);
      two[0] = (byte) a;
      three[0] = (byte) a;
      for (int b = 0; b < 256; b++) {
        two[1] = (byte) b;
        agree(two);
        three[1] = (byte) b;
        for (int c : EDGES) {
          three[2] = (byte) c;
          agree(three);
        }
      }
    }
  }

  @Test
  void fourByteSequencesAgreeWithTheJdk() {
    byte[] four = new byte[4];
    for (int a = 0xF0; a <= 0xFF; a++) {
      for (int b = 0; b < 256; b++) {
        for (int c : EDGES) {
          for (int d : EDGES) {
            four[0] = (byte) a;
            four[1] = (byte) b;
            four[2] = (byte) c;
            four[3] = (byte) d;
            agree(four);
          }
        }
      }
    }
  }

  @Test
  void randomMixesAgreeWithTheJdk() {
    Random random = new Random(18);
    String[] pieces = {"a", "{\"k\":", "é", "✓", "中", "🚀", "\u007f"};
    for (int i = 0; i < 20_000; i++) {
      StringBuilder text = new StringBuilder();
      for (int n = random.nextInt(12); n > 0; n--) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      if (bytes.length > 0 && random.nextBoolean()) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      agree(bytes);
    }
  }

  @Test
  void onlyTheGivenRangeIsChecked() {
    byte[] bytes = {(byte) 0xFF, 'a', (byte) 0xE2, (byte) 0x9C, (byte) 0x93, (byte) 0xFF};
    assertThat(Utf8Check.wellFormed(bytes, 1, 5)).isTrue();
    assertThat(Utf8Check.wellFormed(bytes, 1, 4)).as("truncated at the range's end").isFalse();
    assertThat(Utf8Check.wellFormed(bytes, 0, 5)).isFalse();
  }

  @Test
  void aStrictMapperRefusesBytesThatAreNotUtf8FromAStreamOrAnArray() throws Exception {
    ObjectMapper json = new ObjectMapper();
    StrictJson.configure(json, 32);
    byte[] overlong = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};

    for (ThrowingCallable read :
        List.<ThrowingCallable>of(
            () -> json.readTree(new ByteArrayInputStream(overlong)),
            () -> json.readTree(overlong),
            () -> json.readValue(overlong, 0, overlong.length, Map.class))) {
      assertThatThrownBy(read)
          .isInstanceOfSatisfying(
              FlowgateException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
          .hasMessage("the body is not valid UTF-8");
    }
    byte[] valid = "{\"a\":\"é ✓ 🚀\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(json.readTree(new ByteArrayInputStream(valid)).get("a").asText())
        .isEqualTo("é ✓ 🚀");
    assertThat(json.readTree(valid).get("a").asText()).isEqualTo("é ✓ 🚀");
    assertThat(json.readTree("{\"a\":\"\u00c0\u00af\"}").get("a").asText())
        .as("text already decoded is not bytes")
        .isEqualTo("\u00c0\u00af");
  }

  private static void agree(byte[] bytes) {
    assertThat(Utf8Check.wellFormed(bytes, 0, bytes.length))
        .as("%s", HexFormat.of().formatHex(bytes))
        .isEqualTo(jdkAccepts(bytes));
  }

  private static boolean jdkAccepts(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
