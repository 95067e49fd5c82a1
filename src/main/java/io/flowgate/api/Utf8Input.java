package io.flowgate.api;

import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.io.InputDecorator;
import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;

/**
 * JSON bytes must be well-formed UTF-8 (RFC 8259): overlong forms, encoded surrogates, stray and
 * truncated bytes are a 400 BAD_REQUEST, where the JSON parser alone would decode some of them into
 * other characters. Checked where the mapper reads bytes rather than in a JAX-RS reader
 * interceptor: with any interceptor present, RESTEasy Reactive reflects over the resource method's
 * parameter annotations on every request. A request body is already bounded by {@code
 * flowgate.request.max-body}; text already decoded (a String or Reader) is passed through.
 */
final class Utf8Input extends InputDecorator {

  private static final long serialVersionUID = 1L;

  static final String NOT_UTF8 = "the body is not valid UTF-8";

  @Override
  public InputStream decorate(IOContext context, InputStream in) throws IOException {
    byte[] body = in.readAllBytes();
    check(body, 0, body.length);
    return new ByteArrayInputStream(body);
  }

  @Override
  public InputStream decorate(IOContext context, byte[] bytes, int offset, int length) {
    check(bytes, offset, offset + length);
    return null; // unchanged: the parser reads the array itself
  }

  @Override
  public Reader decorate(IOContext context, Reader reader) {
    return reader;
  }

  private static void check(byte[] bytes, int from, int to) {
    if (!Utf8Check.wellFormed(bytes, from, to)) {
      throw new FlowgateException(ErrorCode.BAD_REQUEST, NOT_UTF8);
    }
  }
}
