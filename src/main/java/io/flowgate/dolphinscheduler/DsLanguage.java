package io.flowgate.dolphinscheduler;

import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.List;
import java.util.Locale;

/**
 * The language DS answers in: the {@code language} cookie (CookieLocaleResolver, default en_US;
 * AppConfiguration 3.2.2 lines 76-83), else the {@code language} header (LocaleChangeInterceptor
 * lines 37-47, which leaves a request with the cookie alone); Chinese when its language is {@code
 * zh} (Status.getMsg, line 615). Accept-Language is not consulted, as in DS.
 */
final class DsLanguage {

  static final String LANGUAGE = "language";

  private DsLanguage() {}

  static boolean chinese(HttpHeaders headers) {
    if (headers == null) {
      return false;
    }
    Cookie cookie = headers.getCookies().get(LANGUAGE);
    if (cookie != null) {
      return isChinese(cookie.getValue());
    }
    List<String> values = headers.getRequestHeader(LANGUAGE);
    return values != null && !values.isEmpty() && isChinese(values.get(0));
  }

  // Spring's StringUtils.parseLocale: the language is the part before '_' (or '-', a tag)
  private static boolean isChinese(String value) {
    if (value == null) {
      return false;
    }
    String language = value.trim().split("[_-]", 2)[0];
    return "zh".equals(language.toLowerCase(Locale.ROOT));
  }
}
