package io.flowgate.audit;

import java.time.OffsetDateTime;
import java.util.Map;

/** One audited change: who did what to which subject, and when. Never carries a secret. */
public record AuditEvent(
    long id,
    OffsetDateTime at,
    String actor,
    String action,
    String subject,
    Map<String, Object> detail) {}
