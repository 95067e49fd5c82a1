package io.flowgate.support;

import io.restassured.RestAssured;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 call over a plain socket bound to a chosen loopback source address, so a test can
 * speak as several distinct clients (127.0.0.0/8 is all loopback).
 */
public final class LoopbackClient {

  /** Status line code, the Retry-After header (or null) and the body. */
  public record Answer(int status, String retryAfter, String body) {}

  private LoopbackClient() {}

  public static Answer post(String from, String path, String token) {
    String request =
        "POST "
            + path
            + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
            + token
            + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    try (Socket socket =
        new Socket(
            InetAddress.getLoopbackAddress(), RestAssured.port, InetAddress.getByName(from), 0)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("call from " + from + " failed", e);
    }
  }

  private static Answer parse(String raw) {
    int headerEnd = raw.indexOf("\r\n\r\n");
    String head = raw.substring(0, headerEnd);
    String[] lines = head.split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    String retryAfter = null;
    for (String line : lines) {
      if (line.toLowerCase(Locale.ROOT).startsWith("retry-after:")) {
        retryAfter = line.substring(line.indexOf(':') + 1).trim();
      }
    }
    return new Answer(status, retryAfter, raw.substring(headerEnd + 4));
  }
}
