package io.flowgate.dolphinscheduler;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Requests as DS clients send them: the token header, forms bound by name. */
final class DsClient {

  private DsClient() {}

  static String startPath(long project) {
    return "/dolphinscheduler/projects/" + project + "/executors/start-process-instance";
  }

  static String instancesPath(long project) {
    return "/dolphinscheduler/projects/" + project + "/process-instances";
  }

  static RequestSpecification as(String token) {
    return given().header("token", token);
  }

  /** An urlencoded body of these fields, in order, encoded as a browser's form encoder does. */
  static String form(Map<String, ?> fields) {
    return fields.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(
                        e.getValue() == null ? "" : String.valueOf(e.getValue()),
                        StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  static Response postForm(String token, long project, Map<String, ?> fields) {
    return as(token)
        .contentType("application/x-www-form-urlencoded")
        .body(form(fields))
        .post(startPath(project));
  }

  static Response postForm(String token, long project, String key, Map<String, ?> fields) {
    return as(token)
        .header("Idempotency-Key", key)
        .contentType("application/x-www-form-urlencoded")
        .body(form(fields))
        .post(startPath(project));
  }

  /**
   * The minimal valid start: the three parameters DS requires besides the definition
   * (ExecutorController 3.2.2 lines 140-146: scheduleTime, failureStrategy, warningType).
   */
  static Map<String, Object> minimal(long workflow) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("processDefinitionCode", workflow);
    f.put("scheduleTime", "");
    f.put("failureStrategy", "CONTINUE");
    f.put("warningType", "NONE");
    return f;
  }

  static Map<String, Object> with(Map<String, Object> base, String name, Object value) {
    Map<String, Object> f = new LinkedHashMap<>(base);
    if (value == null) {
      f.remove(name);
    } else {
      f.put(name, value);
    }
    return f;
  }
}
