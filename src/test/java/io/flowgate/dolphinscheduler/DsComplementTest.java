package io.flowgate.dolphinscheduler;

import static io.flowgate.dolphinscheduler.DsClient.minimal;
import static io.flowgate.dolphinscheduler.DsClient.postForm;
import static io.flowgate.dolphinscheduler.DsClient.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.flowgate.support.ErrorLogCapture;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * execType=COMPLEMENT_DATA (ExecutorServiceImpl.createComplementCommandList 3.2.2 lines 860-955):
 * one instance per schedule date, written in one transaction, idempotent under the request's key;
 * serial dates run one after the other, parallel ones in min(dates, expectedParallelismNumber)
 * chains. Generation 3.1: dates in the order computed (a range ascending).
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class DsComplementTest {

  static final String RANGE_1_TO_3 =
      "{\"complementStartDate\":\"2024-01-01 00:00:00\","
          + "\"complementEndDate\":\"2024-01-03 00:00:00\"}";

  @Inject Db db;

  long project;
  long workflow;
  String token;

  @BeforeEach
  void setUp() {
    project = Api.project();
    workflow = Api.releasedWorkflow(project);
    token = Api.token(project, "read", "start");
  }

  private Map<String, Object> complement(String scheduleTime, String runMode) {
    Map<String, Object> f = with(minimal(workflow), "execType", "COMPLEMENT_DATA");
    f = with(f, "scheduleTime", scheduleTime);
    return with(f, "runMode", runMode);
  }

  private List<Object> scheduleDates() {
    return db.column(
        "select to_char(schedule_time at time zone 'UTC', 'YYYY-MM-DD') from workflow_instance"
            + " where project_code = $1 order by id",
        project);
  }

  private List<Object> runAfterIndexes() {
    return db.column(
        "select case when i.run_after is null then -1 else (select count(*)"
            + " from workflow_instance p where p.project_code = i.project_code"
            + " and p.id < i.run_after) end from workflow_instance i"
            + " where project_code = $1 order by id",
        project);
  }

  // the 3.1.9 UI sends a range (use-modal.ts lines 100-112); serial: one chain in date order
  @Test
  void serialRangeCreatesOneChainedInstancePerDay() {
    Response r = postForm(token, project, "cmp-1", complement(RANGE_1_TO_3, "RUN_MODE_SERIAL"));
    r.then().statusCode(200).body("code", equalTo(0)).body("data", hasSize(3));
    assertThat(scheduleDates()).containsExactly("2024-01-01", "2024-01-02", "2024-01-03");
    // the 2nd waits for the 1st, the 3rd for the 2nd
    assertThat(runAfterIndexes()).containsExactly(-1L, 0L, 1L);
    assertThat(
            db.count(
                "select count(*) from workflow_instance where project_code = $1"
                    + " and complement_of = 'cmp-1' and idempotency_key like 'cmp-1~2024010%'",
                project))
        .isEqualTo(3);
    // and they run one after the other: each starts after the one before ended
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                db.count(
                        "select count(*) from workflow_instance where project_code = $1"
                            + " and state = 'SUCCESS'",
                        project)
                    == 3);
    assertThat(
            db.count(
                "select count(*) from workflow_instance i join workflow_instance p"
                    + " on p.id = i.run_after where i.project_code = $1"
                    + " and i.started_at >= p.ended_at",
                project))
        .isEqualTo(2);
  }

  // parallel with expectedParallelismNumber 2: dates dealt into 2 chains (date i to chain i % 2)
  @Test
  void parallelRangeDealsDatesIntoChains() {
    Map<String, Object> f =
        with(complement(RANGE_1_TO_3, "RUN_MODE_PARALLEL"), "expectedParallelismNumber", 2);
    postForm(token, project, "cmp-2", f).then().statusCode(200).body("code", equalTo(0));
    // chain 0: 01-01 then 01-03; chain 1: 01-02
    assertThat(scheduleDates()).containsExactly("2024-01-01", "2024-01-03", "2024-01-02");
    assertThat(runAfterIndexes()).containsExactly(-1L, 0L, -1L);
  }

  // parallel without a number: every date on its own
  @Test
  void parallelWithoutNumberRunsEveryDateAtOnce() {
    postForm(token, project, "cmp-3", complement(RANGE_1_TO_3, "RUN_MODE_PARALLEL"))
        .then()
        .statusCode(200)
        .body("code", equalTo(0));
    assertThat(runAfterIndexes()).containsExactly(-1L, -1L, -1L);
  }

  // the 3.1.9 UI's manual dates (use-modal.ts lines 113-117): distinct dates in the order given
  @Test
  void dateListCreatesOneInstancePerDistinctDate() {
    String list =
        "{\"complementScheduleDateList\":\"2024-02-05 00:00:00,2024-02-01 00:00:00,"
            + "2024-02-05 00:00:00\"}";
    postForm(token, project, "cmp-4", complement(list, "RUN_MODE_SERIAL"))
        .then()
        .statusCode(200)
        .body("code", equalTo(0))
        .body("data", hasSize(2));
    assertThat(scheduleDates()).containsExactly("2024-02-05", "2024-02-01");
  }

  @Test
  void sameKeyReplaysAndAnotherRangeUnderItIsRefused() {
    Response first = postForm(token, project, "cmp-5", complement(RANGE_1_TO_3, "RUN_MODE_SERIAL"));
    Response again = postForm(token, project, "cmp-5", complement(RANGE_1_TO_3, "RUN_MODE_SERIAL"));
    again.then().statusCode(200).body("code", equalTo(0)).header("Idempotency-Replayed", "true");
    assertThat(again.jsonPath().getList("data", Long.class))
        .isEqualTo(first.jsonPath().getList("data", Long.class));
    String other =
        "{\"complementStartDate\":\"2024-01-01 00:00:00\","
            + "\"complementEndDate\":\"2024-01-04 00:00:00\"}";
    postForm(token, project, "cmp-5", complement(other, "RUN_MODE_SERIAL"))
        .then()
        .statusCode(200)
        .body("code", equalTo(10001))
        .body("msg", equalTo("request parameter Idempotency-Key is not valid"));
    assertThat(db.instancesOf(project)).isEqualTo(3);
  }

  // without a key one is generated, named in the answer, and the dates' keys derive from it
  @Test
  void withoutKeyOneIsGeneratedAndReturned() {
    Response r = postForm(token, project, complement(RANGE_1_TO_3, "RUN_MODE_SERIAL"));
    String key = r.header("Idempotency-Key");
    assertThat(key).startsWith("gen-");
    assertThat(r.jsonPath().getString("idempotencyKey")).isEqualTo(key);
    assertThat(
            db.count(
                "select count(*) from workflow_instance where project_code = $1"
                    + " and idempotency_key like $2",
                project,
                key + "~%"))
        .isEqualTo(3);
  }

  @Test
  void moreThan100ListedDatesIs1400003AndWritesNothing() {
    StringJoiner dates = new StringJoiner(",");
    for (int i = 0; i < 101; i++) {
      dates.add(java.time.LocalDate.of(2024, 1, 1).plusDays(i) + " 00:00:00");
    }
    String list = "{\"complementScheduleDateList\":\"" + dates + "\"}";
    // SCHEDULE_TIME_NUMBER_EXCEED 1400003, Status.java 3.2.2 line 574
    postForm(token, project, complement(list, "RUN_MODE_SERIAL"))
        .then()
        .statusCode(200)
        .body("code", equalTo(1400003))
        .body("msg", equalTo("The number of complement dates exceed 100."));
    assertThat(db.instancesOf(project)).isZero();
  }

  @Test
  void rangeOverTheBoundIs1400003AndWritesNothing() {
    String year =
        "{\"complementStartDate\":\"2024-01-01 00:00:00\","
            + "\"complementEndDate\":\"2024-12-31 00:00:00\"}";
    postForm(token, project, complement(year, "RUN_MODE_SERIAL"))
        .then()
        .statusCode(200)
        .body("code", equalTo(1400003));
    assertThat(db.instancesOf(project)).isZero();
  }

  // a range without a midnight in it has no date: TASK_COMPLEMENT_DATA_DATE_ERROR 50081 (line
  // 430; createComplementCommandList line 904)
  @Test
  void rangeWithoutDateIs50081AndWritesNothing() {
    String none =
        "{\"complementStartDate\":\"2024-01-01 01:00:00\","
            + "\"complementEndDate\":\"2024-01-01 23:00:00\"}";
    postForm(token, project, complement(none, "RUN_MODE_SERIAL"))
        .then()
        .statusCode(200)
        .body("code", equalTo(50081))
        .body("msg", equalTo("The range of date for complementing date is not valid"));
    assertThat(db.instancesOf(project)).isZero();
  }

  // isValidateScheduleTime false (lines 1068-1100): createCommand returns 0 → 50014
  @Test
  void invalidScheduleIs50014AndWritesNothing() {
    for (String bad :
        List.of(
            "2024-01-01 00:00:00",
            "{\"complementStartDate\":\"2024-01-03 00:00:00\","
                + "\"complementEndDate\":\"2024-01-01 00:00:00\"}",
            "{\"complementStartDate\":\"2024-01-01\"}")) {
      postForm(token, project, complement(bad, "RUN_MODE_SERIAL"))
          .then()
          .statusCode(200)
          .body("code", equalTo(50014))
          .body("msg", equalTo("start process instance error"));
    }
    assertThat(db.instancesOf(project)).isZero();
  }

  // PostgreSQL's timestamptz ends in 294276 AD and DS formats four-digit years: a date outside
  // the years 0001 to 9999 is refused by name before the write, not as a store failure (no ERROR)
  @Test
  void dateOutsideYears1To9999Is50014NamingScheduleTimeWritesNothingLogsNoError() {
    try (ErrorLogCapture log = ErrorLogCapture.open()) {
      for (String bad :
          List.of(
              "{\"complementScheduleDateList\":\"+999999999-12-31 23:59:59\"}",
              "{\"complementScheduleDateList\":\"2024-01-01 00:00:00,+10000-01-01 00:00:00\"}",
              "{\"complementStartDate\":\"9999-12-31 00:00:00\","
                  + "\"complementEndDate\":\"+10000-01-02 00:00:00\"}")) {
        postForm(token, project, complement(bad, "RUN_MODE_SERIAL"))
            .then()
            .statusCode(200)
            .body("code", equalTo(50014))
            .body("detail", containsString("scheduleTime"))
            .body("detail", containsString("0001 to 9999"));
      }
      assertThat(log.errors()).isEmpty();
    }
    assertThat(db.instancesOf(project)).isZero();
  }
}
