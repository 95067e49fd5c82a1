package io.flowgate.dolphinscheduler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowgate.admission.StartAdmission;
import io.flowgate.api.StartRequest;
import io.flowgate.api.StartService;
import io.flowgate.api.security.Caller;
import io.flowgate.config.DolphinSchedulerConfig;
import io.flowgate.config.StoreConfig;
import io.flowgate.observability.StartLedger;
import io.flowgate.observability.StartLedger.Settlement;
import io.flowgate.observability.SubmittedBacklog;
import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import io.flowgate.problem.Problems;
import io.flowgate.store.FailureStrategy;
import io.flowgate.store.InstanceSummary;
import io.flowgate.store.MultiStart;
import io.flowgate.store.MultiStartWriter;
import io.flowgate.store.StartOutcome;
import io.flowgate.store.StoreBoundary;
import io.flowgate.store.TransientStoreException;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A DS start, checked in DS's order with DS's codes (ExecutorServiceImpl.execProcessInstance 3.2.2
 * lines 222-290), then either the plain start path (admission, batched writer) or, for what that
 * path does not carry (complement dates, start nodes, test flag), one multi-instance transaction.
 */
@ApplicationScoped
public class DsStartService {

  /** A plain start's 3.2 trigger code is this plus its instance id: beyond the int range. */
  public static final long TRIGGER_BASE = 1L << 40;

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final DateTimeFormatter KEY_DATE = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

  private final StartService starts;
  private final DsDefinitions definitions;
  private final MultiStartWriter writer;
  private final StartAdmission admission;
  private final CircuitBreakerMaintenance breakers;
  private final ObjectMapper json;
  private final boolean v32;
  private final int maxDates;
  private final Semaphore multiStarts;
  private final Duration commitTimeout;
  private final StartLedger ledger;
  private final SubmittedBacklog backlog;
  // ledger ids of multi-instance starts: negative, so they never meet the admission's tickets
  private final AtomicLong ledgerIds = new AtomicLong();

  public DsStartService(
      StartService starts,
      DsDefinitions definitions,
      MultiStartWriter writer,
      StartAdmission admission,
      CircuitBreakerMaintenance breakers,
      ObjectMapper json,
      DolphinSchedulerConfig config,
      StoreConfig store,
      StartLedger ledger,
      SubmittedBacklog backlog) {
    this.backlog = backlog;
    this.starts = starts;
    this.definitions = definitions;
    this.writer = writer;
    this.admission = admission;
    this.breakers = breakers;
    this.json = json;
    this.v32 = config.v32();
    this.maxDates = config.maxComplementDates();
    this.multiStarts = new Semaphore(config.maxConcurrentMultiStarts());
    this.commitTimeout = store.commitTimeout();
    this.ledger = ledger;
  }

  /** What a start answers: the DS {@code data}, the key it used, whether it was a replay. */
  public record Answer(Object data, String idempotencyKey, boolean replayed) {}

  public boolean v32() {
    return v32;
  }

  public Uni<Answer> start(Caller who, long projectCode, String key, DsStart s) {
    return checkProject(who, projectCode)
        .flatMap(
            ok -> {
              checkParameters(s, key);
              if (s.plain() && s.version() == null) {
                return plain(who, projectCode, key, s, null);
              }
              return definitions
                  .definition(s.processDefinitionCode(), s.version())
                  .flatMap(
                      d -> startDefinition(who, projectCode, key, s, check(projectCode, s, d)));
            });
  }

  // ProjectServiceImpl.checkProjectAndAuth 3.2.2 lines 814-826: unknown project 10190, no
  // permission 30002
  private Uni<Boolean> checkProject(Caller who, long projectCode) {
    return definitions
        .projectExists(projectCode)
        .map(
            exists -> {
              if (!exists) {
                throw new DsException(DsStatus.PROJECT_NOT_EXIST, "project " + projectCode);
              }
              if (!who.may(projectCode, Caller.START)) {
                throw new DsException(
                    DsStatus.USER_NO_OPERATION_PROJECT_PERM,
                    "the token may not start in project " + projectCode,
                    who.subject(),
                    String.valueOf(projectCode));
              }
              return true;
            });
  }

  private void checkParameters(DsStart s, String key) {
    // ExecutorServiceImpl 3.2.2 line 233: DS validates timeout, then never uses it (createCommand
    // has no timeout argument), so a valid one is a true no-op
    if (s.timeout() <= 0 || s.timeout() > DsStartParser.MAX_TASK_TIMEOUT) {
      throw new DsException(
          DsStatus.TASK_TIMEOUT_PARAMS_ERROR, "timeout=" + s.timeout() + ": must be 1..86400");
    }
    // line 240
    if (s.expectedParallelismNumber() != null && s.expectedParallelismNumber() <= 0) {
      throw new DsException(
          DsStatus.TASK_PARALLELISM_PARAMS_ERROR,
          "expectedParallelismNumber=" + s.expectedParallelismNumber() + ": must be positive");
    }
    // line 247, checkValidTenant (lines 383-391): Flowgate has only the default tenant
    if (!"default".equals(s.tenantCode())) {
      throw new DsException(
          DsStatus.TENANT_NOT_EXIST,
          "tenantCode=" + s.tenantCode() + ": Flowgate has only the default tenant",
          s.tenantCode());
    }
    String exec = s.execType() == null ? "START_PROCESS" : s.execType();
    if (!"START_PROCESS".equals(exec) && !"COMPLEMENT_DATA".equals(exec)) {
      throw DsException.refused(
          "execType", exec, "only START_PROCESS and COMPLEMENT_DATA start a new instance");
    }
    if (!"NONE".equals(s.warningType())) {
      throw DsException.refused(
          "warningType", s.warningType(), "Flowgate sends no alerts; use NONE");
    }
    if (s.environmentCode() != -1) {
      throw DsException.refused(
          "environmentCode", String.valueOf(s.environmentCode()), "Flowgate has no environments");
    }
    if (s.dryRun() != 0 && s.dryRun() != 1) {
      throw DsException.refused("dryRun", String.valueOf(s.dryRun()), "must be 0 or 1");
    }
    if (s.testFlag() != 0 && s.testFlag() != 1) {
      throw DsException.refused("testFlag", String.valueOf(s.testFlag()), "must be 0 or 1");
    }
    if (key != null && !KEY.matcher(key).matches()) {
      throw DsException.refused(
          "Idempotency-Key", "(not shown)", "1-128 characters of [A-Za-z0-9._:-]");
    }
    try {
      starts.validate(key, request(s));
    } catch (FlowgateException e) {
      throw DsErrors.of(e);
    }
  }

  // checkProcessDefinitionValid (lines 324-339); an unknown code or version throws a
  // NullPointerException in DS (processDefinition.getVersion(), line 254), answered 50014
  private DsDefinitions.Definition check(long projectCode, DsStart s, DsDefinitions.Definition d) {
    long code = s.processDefinitionCode();
    if (d == null) {
      throw DsException.unbound(
          "process definition "
              + code
              + (s.version() == null ? "" : " version " + s.version())
              + " does not exist");
    }
    if (d.projectCode() != projectCode) {
      throw new DsException(
          DsStatus.PROCESS_DEFINE_NOT_EXIST, "not in project " + projectCode, String.valueOf(code));
    }
    if (!"ONLINE".equals(d.releaseState())) {
      throw new DsException(
          DsStatus.PROCESS_DEFINE_NOT_RELEASE,
          "the workflow is offline",
          String.valueOf(code),
          String.valueOf(d.version()));
    }
    // checkStartNodeList (lines 569-581)
    List<String> known = d.taskCodes();
    for (String node : s.startNodes()) {
      if (!known.contains(node)) {
        throw v32
            ? new DsException(
                DsStatus.START_NODE_NOT_EXIST_IN_LAST_PROCESS, "unknown task code", node)
            : DsException.refused("startNodeList", node, "no such task in the workflow");
      }
    }
    return d;
  }

  private Uni<Answer> startDefinition(
      Caller who, long projectCode, String key, DsStart s, DsDefinitions.Definition d) {
    if (s.plain()) {
      return plain(who, projectCode, key, s, d.version());
    }
    List<String> subset =
        s.startNodes().isEmpty()
            ? null
            : d.subset(
                s.startNodes(), s.taskDependType() == null ? "TASK_POST" : s.taskDependType());
    List<LocalDateTime> dates =
        s.complement()
            ? DsComplement.dates(s.scheduleTime(), s.executionOrder(), v32, maxDates, json)
            : List.of();
    return multi(projectCode, key, s, d.version(), subset, dates);
  }

  private Uni<Answer> plain(Caller who, long projectCode, String key, DsStart s, Integer version) {
    return starts
        .start(projectCode, s.processDefinitionCode(), version, key, request(s))
        .onFailure(FlowgateException.class)
        .recoverWithUni(e -> plainFailure(projectCode, s, (FlowgateException) e))
        .map(
            outcome -> {
              InstanceSummary i = outcome.instance();
              Object data = v32 ? TRIGGER_BASE + i.instanceId() : i.instanceId();
              return new Answer(
                  data, i.idempotencyKey(), outcome.kind() == StartOutcome.Kind.REPLAYED);
            });
  }

  // the definition facts behind a refusal of the plain path, answered with DS's codes
  private Uni<StartOutcome> plainFailure(long projectCode, DsStart s, FlowgateException e) {
    if (e.code() != ErrorCode.WORKFLOW_NOT_FOUND && e.code() != ErrorCode.WORKFLOW_NOT_RELEASED) {
      return Uni.createFrom().failure(DsErrors.of(e));
    }
    return definitions
        .definition(s.processDefinitionCode(), s.version())
        .map(
            d -> {
              check(projectCode, s, d);
              throw DsErrors.of(e);
            });
  }

  private static StartRequest request(DsStart s) {
    return new StartRequest(
        s.startParams(),
        DsCommands.priority(s),
        FailureStrategy.valueOf(s.failureStrategy()),
        null, // DS ignores scheduleTime outside a complement: the instance has none
        s.workerGroup(),
        s.dryRun() == 1);
  }

  private Uni<Answer> multi(
      long projectCode,
      String key,
      DsStart s,
      int version,
      List<String> subset,
      List<LocalDateTime> dates) {
    boolean generated = key == null;
    String base = generated ? "gen-" + UUID.randomUUID() : key;
    String fingerprint = DsCommands.fingerprint(s, version, dates.toString());
    List<MultiStart.Run> runs = new ArrayList<>();
    if (dates.isEmpty()) {
      runs.add(
          new MultiStart.Run(
              DsCommands.of(projectCode, version, base, generated, s, null, fingerprint), -1));
    } else {
      // complement: one instance per date under a key derived from the request's; '~' is outside
      // the client key alphabet, so no client key can collide with a derived one
      for (List<LocalDateTime> chain :
          DsComplement.chains(dates, s.runMode(), s.expectedParallelismNumber())) {
        int previous = -1;
        for (LocalDateTime date : chain) {
          String dateKey = base + "~" + KEY_DATE.format(date);
          runs.add(
              new MultiStart.Run(
                  DsCommands.of(projectCode, version, dateKey, generated, s, date, fingerprint),
                  previous));
          previous = runs.size() - 1;
        }
      }
    }
    MultiStart start =
        new MultiStart(
            runs,
            projectCode + "/" + base,
            subset,
            s.testFlag() == 1,
            dates.isEmpty() ? null : base);
    return write(start)
        .map(
            outcome -> {
              if (outcome.kind() == MultiStart.Kind.KEY_REUSED) {
                throw new DsException(
                    DsStatus.REQUEST_PARAMS_NOT_VALID_ERROR,
                    "Idempotency-Key '" + base + "' was used for a different request",
                    "Idempotency-Key");
              }
              return new Answer(
                  data(outcome, dates.isEmpty()), base, outcome.kind() == MultiStart.Kind.REPLAYED);
            });
  }

  private Object data(MultiStart.Outcome outcome, boolean single) {
    if (v32) {
      return outcome.triggerCode();
    }
    List<Long> ids = outcome.instances().stream().map(InstanceSummary::instanceId).toList();
    return single ? ids.get(0) : ids;
  }

  // the multi-instance path bypasses the admission queue, so it keeps the same refusals itself:
  // shutdown, open breaker, and a bound on concurrent writes; every wait bounded by the commit
  // timeout. It is counted in the start ledger as an admitted request is (refused before the
  // write: rejected; written: admitted, then settled once), so admitted = committed + replayed +
  // failed + in-flight holds for complement starts too
  private Uni<MultiStart.Outcome> write(MultiStart start) {
    ErrorCode refusal = null;
    String why = null;
    if (admission.shuttingDown()) {
      refusal = ErrorCode.SHUTTING_DOWN;
      why = "the service is shutting down; nothing was written";
    } else if (breakers.currentState(StoreBoundary.BREAKER) == CircuitBreakerState.OPEN) {
      refusal = ErrorCode.STORE_UNAVAILABLE;
      why = "the store circuit breaker is open; nothing was written";
    } else if (backlog.overHighWater()) {
      ledger.rejected(ErrorCode.ADMISSION_QUEUE_FULL);
      return Uni.createFrom().failure(backlog.refusal());
    } else if (!multiStarts.tryAcquire()) {
      refusal = ErrorCode.ADMISSION_QUEUE_FULL;
      why = "too many complement starts at once; retry after 1s";
    }
    if (refusal != null) {
      ledger.rejected(refusal);
      return Uni.createFrom().failure(new FlowgateException(refusal, why, 1));
    }
    long id = ledgerIds.decrementAndGet();
    ledger.admitted(id, Problems.traceId());
    return writer
        .write(start)
        .ifNoItem()
        .after(commitTimeout)
        .failWith(
            () ->
                new FlowgateException(
                    ErrorCode.OUTCOME_UNKNOWN,
                    "no commit confirmation in time; retry with the same Idempotency-Key",
                    1))
        .onFailure(TransientStoreException.class)
        .transform(
            e ->
                new FlowgateException(
                    ((TransientStoreException) e).ambiguous()
                        ? ErrorCode.OUTCOME_UNKNOWN
                        : ErrorCode.STORE_UNAVAILABLE,
                    "the store failed; retry with the same Idempotency-Key",
                    1))
        .onTermination()
        .invoke(
            (outcome, failure, cancelled) -> {
              multiStarts.release();
              settle(id, outcome, failure, cancelled);
            });
  }

  // one settlement per admitted multi-instance start; a client that hung up learns nothing, so
  // its start counts as failed with an unknown outcome (a retry with its key replays it)
  private void settle(long id, MultiStart.Outcome outcome, Throwable failure, boolean cancelled) {
    if (cancelled) {
      ledger.clientGone();
      ledger.settled(id, Settlement.FAILED, ErrorCode.OUTCOME_UNKNOWN);
    } else if (failure != null) {
      ErrorCode code = failure instanceof FlowgateException e ? e.code() : ErrorCode.INTERNAL_ERROR;
      ledger.settled(id, Settlement.FAILED, code);
    } else {
      switch (outcome.kind()) {
        case CREATED -> ledger.settled(id, Settlement.COMMITTED, null);
        case REPLAYED -> ledger.settled(id, Settlement.REPLAYED, null);
        case KEY_REUSED -> ledger.settled(id, Settlement.FAILED, ErrorCode.IDEMPOTENCY_KEY_REUSED);
      }
    }
  }
}
