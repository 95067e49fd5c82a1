package io.flowgate.api;

import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A JSON body must be well-formed UTF-8 (RFC 8259): overlong forms, encoded surrogates, stray and
 * truncated bytes are a 400 BAD_REQUEST, where the JSON parser alone would decode some of them into
 * other characters. The body is already bounded by {@code flowgate.request.max-body}.
 */
@Provider
public class Utf8Body implements ReaderInterceptor {

  @Override
  public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
    MediaType type = context.getMediaType();
    if (type != null && type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
      byte[] body = context.getInputStream().readAllBytes();
      try {
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(body));
      } catch (CharacterCodingException e) {
        throw new FlowgateException(ErrorCode.BAD_REQUEST, "the body is not valid UTF-8");
      }
      context.setInputStream(new ByteArrayInputStream(body));
    }
    return context.proceed();
  }
}
