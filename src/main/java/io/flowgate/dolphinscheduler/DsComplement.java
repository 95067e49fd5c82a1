package io.flowgate.dolphinscheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The schedule dates of a complement (backfill), as ExecutorServiceImpl.createComplementCommandList
 * computes them (3.2.2 lines 860-955): a range gives every midnight from start to end inclusive (no
 * schedule: DS's default cron {@code 0 0 0 * * ? *}; start equal to end gives that one time); a
 * list gives its distinct dates. 3.2 sorts by {@code executionOrder} (default DESC_ORDER); 3.1.9
 * keeps them as computed. Then the dates are dealt into chains: serial one chain, parallel {@code
 * min(dates, expectedParallelismNumber)} chains (date i to chain i % n), each chain run in order.
 */
final class DsComplement {

  static final DateTimeFormatter DS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private DsComplement() {}

  /** The dates, or a DsException with DS's code. */
  static List<LocalDateTime> dates(
      String scheduleTime, String order, boolean v32, int max, ObjectMapper json) {
    JsonNode node;
    try {
      node = json.readTree(scheduleTime);
    } catch (Exception e) {
      node = null;
    }
    if (node == null || !node.isObject()) {
      // JSONUtils.toMap fails: createCommand returns 0 (3.2.2 line 771) → 50014
      throw DsException.unbound("scheduleTime: a complement needs a JSON object of dates");
    }
    List<LocalDateTime> dates;
    JsonNode list = node.get("complementScheduleDateList");
    if (list != null) {
      if (!list.isTextual()) {
        throw DsException.unbound("scheduleTime: complementScheduleDateList must be a string");
      }
      String[] parts = list.asText().split(",");
      if (parts.length > 100) {
        throw new DsException(DsStatus.SCHEDULE_TIME_NUMBER_EXCEED, parts.length + " dates");
      }
      LinkedHashSet<LocalDateTime> distinct = new LinkedHashSet<>();
      for (String part : parts) {
        if (!part.isBlank()) {
          distinct.add(time(part.trim()));
        }
      }
      dates = new ArrayList<>(distinct);
    } else {
      dates = range(node, max);
    }
    if (dates.isEmpty()) {
      throw new DsException(DsStatus.TASK_COMPLEMENT_DATA_DATE_ERROR, "no date to complement");
    }
    if (dates.size() > max) {
      throw new DsException(
          DsStatus.SCHEDULE_TIME_NUMBER_EXCEED,
          dates.size() + " dates; flowgate.dolphinscheduler.max-complement-dates is " + max);
    }
    if (v32 || order != null) {
      Comparator<LocalDateTime> natural = Comparator.naturalOrder();
      dates.sort("ASC_ORDER".equals(order) ? natural : natural.reversed());
    }
    return dates;
  }

  private static List<LocalDateTime> range(JsonNode node, int max) {
    JsonNode startNode = node.get("complementStartDate");
    JsonNode endNode = node.get("complementEndDate");
    if (startNode == null || endNode == null || !startNode.isTextual() || !endNode.isTextual()) {
      throw DsException.unbound("scheduleTime: complementStartDate and complementEndDate needed");
    }
    LocalDateTime start = time(startNode.asText());
    LocalDateTime end = time(endNode.asText());
    if (start.isAfter(end)) {
      throw DsException.unbound("scheduleTime: complementStartDate is after complementEndDate");
    }
    List<LocalDateTime> out = new ArrayList<>();
    if (start.equals(end)) {
      out.add(start);
      return out;
    }
    LocalDateTime day = start.toLocalDate().atStartOfDay();
    if (day.isBefore(start)) {
      day = day.plusDays(1);
    }
    for (; !day.isAfter(end); day = day.plusDays(1)) {
      out.add(day);
      if (out.size() > max) {
        break;
      }
    }
    return out;
  }

  private static LocalDateTime time(String text) {
    LocalDateTime time;
    try {
      time = LocalDateTime.parse(text, DS_TIME);
    } catch (DateTimeParseException e) {
      throw DsException.unbound("scheduleTime: dates are yyyy-MM-dd HH:mm:ss");
    }
    // DS formats four-digit years, and the writer's text form of a later year is one PostgreSQL
    // refuses: refused here by name, before the write, as the native API refuses it
    if (time.getYear() < 1 || time.getYear() > 9999) {
      throw DsException.unbound("scheduleTime: dates must lie in the years 0001 to 9999");
    }
    return time;
  }

  /** The dates dealt into chains, each run one date after the other. */
  static List<List<LocalDateTime>> chains(
      List<LocalDateTime> dates, String runMode, Integer parallelism) {
    int n = 1;
    if ("RUN_MODE_PARALLEL".equals(runMode)) {
      n = dates.size();
      if (parallelism != null && parallelism != 0) {
        n = Math.min(n, parallelism);
      }
    }
    List<List<LocalDateTime>> chains = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      chains.add(new ArrayList<>());
    }
    for (int i = 0; i < dates.size(); i++) {
      chains.get(i % n).add(dates.get(i));
    }
    return chains;
  }
}
