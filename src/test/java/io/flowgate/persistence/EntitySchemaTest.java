package io.flowgate.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.flowgate.api.security.TokenEntity;
import io.flowgate.audit.AuditEventEntity;
import io.flowgate.definition.ProjectEntity;
import io.flowgate.definition.WorkflowEntity;
import io.flowgate.definition.WorkflowVersionEntity;
import io.flowgate.embedded.EmbeddedDatabase;
import io.flowgate.store.InstanceEntity;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.mapping.Column;
import org.hibernate.mapping.PersistentClass;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every entity agrees with the schema the Flyway migrations build. {@code %test} sets Hibernate's
 * schema strategy to {@code validate}, but with Hibernate Reactive Quarkus only logs what that
 * check finds and starts anyway: a wrong {@code text[]} mapping was once seen only as an ERROR line
 * in dev mode, with every test green. Here the check fails the build. Hibernate ORM's own validator
 * runs over JDBC against a freshly migrated database (tables, columns, sequences); as it accepts
 * what Hibernate Reactive's check refuses (that one compares a column definition with the type name
 * PostgreSQL reports, {@code _text} for {@code text[]}, and {@code text} is no {@code
 * varchar(255)}) and ignores nullability, each mapped column's type and nullability are also
 * compared with {@code information_schema.columns}.
 */
class EntitySchemaTest {

  static final List<Class<?>> ENTITIES =
      List.of(
          TokenEntity.class,
          ProjectEntity.class,
          WorkflowEntity.class,
          WorkflowVersionEntity.class,
          AuditEventEntity.class,
          InstanceEntity.class);

  private static final String DATABASE = "entity_schema_check";

  static String jdbcUrl;
  static String user;
  static String password;

  @BeforeAll
  static void migrateAFreshDatabase() throws SQLException {
    String external = System.getenv("FLOWGATE_TEST_DB_URL");
    boolean useExternal = external != null && !external.isBlank();
    String server = useExternal ? external : EmbeddedDatabase.start(Optional.empty(), false);
    user = useExternal ? env("FLOWGATE_TEST_DB_USER", "postgres") : EmbeddedDatabase.user();
    password = useExternal ? env("FLOWGATE_TEST_DB_PASSWORD", "postgres") : "";
    String base = "jdbc:" + server.substring(0, server.lastIndexOf('/') + 1);
    // a database of its own: the tests' shared one is migrated by the application under test
    try (Connection c = DriverManager.getConnection(base + "postgres", user, password);
        Statement s = c.createStatement()) {
      s.execute("drop database if exists " + DATABASE);
      s.execute("create database " + DATABASE);
    }
    jdbcUrl = base + DATABASE;
    Flyway.configure()
        .dataSource(jdbcUrl, user, password)
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    String base = jdbcUrl.substring(0, jdbcUrl.lastIndexOf('/') + 1);
    try (Connection c = DriverManager.getConnection(base + "postgres", user, password);
        Statement s = c.createStatement()) {
      s.execute("drop database if exists " + DATABASE);
    }
  }

  @Test
  void hibernateValidatesEveryEntityAgainstTheMigratedSchema() {
    StandardServiceRegistry registry = registry("validate");
    try {
      assertThatCode(() -> metadata(registry).buildSessionFactory().close())
          .doesNotThrowAnyException();
    } finally {
      StandardServiceRegistryBuilder.destroy(registry);
    }
  }

  @Test
  void everyMappedColumnHasTheMigrationsNullability() throws SQLException {
    StandardServiceRegistry registry = registry("none");
    List<String> mismatches = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
      for (PersistentClass entity : metadata(registry).getEntityBindings()) {
        String table = entity.getTable().getName();
        for (Column column : entity.getTable().getColumns()) {
          Boolean nullable = nullableInDatabase(c, table, column.getName());
          if (nullable == null) {
            mismatches.add(table + "." + column.getName() + ": no such column");
          } else if (nullable != column.isNullable()) {
            mismatches.add(
                table + "." + column.getName() + ": mapped nullable=" + column.isNullable());
          }
        }
      }
    } finally {
      StandardServiceRegistryBuilder.destroy(registry);
    }
    assertThat(mismatches).isEmpty();
  }

  @Test
  void everyMappedColumnHasTheMigrationsType() throws SQLException {
    StandardServiceRegistry registry = registry("none");
    List<String> mismatches = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
      Metadata metadata = metadata(registry);
      for (PersistentClass entity : metadata.getEntityBindings()) {
        String table = entity.getTable().getName();
        for (Column column : entity.getTable().getColumns()) {
          String stored = typeInDatabase(c, table, column.getName());
          String mapped = column.getSqlType(metadata).toLowerCase(Locale.ROOT);
          if (stored != null && !sameType(mapped, stored)) {
            mismatches.add(
                table + "." + column.getName() + ": mapped " + mapped + ", is " + stored);
          }
        }
      }
    } finally {
      StandardServiceRegistryBuilder.destroy(registry);
    }
    assertThat(mismatches).isEmpty();
  }

  // as Hibernate Reactive compares: the mapped type starts with the reported name, or both name
  // the same type; an array is only ever reported as _int8, _text, ...
  static boolean sameType(String mapped, String stored) {
    return mapped.startsWith(stored) || canonical(mapped).equals(canonical(stored));
  }

  private static String canonical(String type) {
    String t = type.replaceAll("\\(\\d+\\)", "").trim();
    return switch (t) {
      case "bigint", "int8" -> "int8";
      case "integer", "int", "int4" -> "int4";
      case "smallint", "int2" -> "int2";
      case "boolean", "bool" -> "bool";
      case "timestamp with time zone", "timestamptz" -> "timestamptz";
      case "double precision", "float", "float8" -> "float8";
      // a declared length is no unbounded text
      default -> type;
    };
  }

  private static String typeInDatabase(Connection c, String table, String column)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "select udt_name from information_schema.columns"
                + " where table_schema = current_schema() and table_name = ? and column_name = ?")) {
      s.setString(1, table);
      s.setString(2, column);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }

  private static Boolean nullableInDatabase(Connection c, String table, String column)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "select is_nullable from information_schema.columns"
                + " where table_schema = current_schema() and table_name = ? and column_name = ?")) {
      s.setString(1, table);
      s.setString(2, column);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? "YES".equals(r.getString(1)) : null;
      }
    }
  }

  // the settings application.properties gives Hibernate that bear on the mapping
  private static StandardServiceRegistry registry(String action) {
    return new StandardServiceRegistryBuilder()
        .applySettings(
            Map.of(
                "hibernate.connection.url", jdbcUrl,
                "hibernate.connection.username", user,
                "hibernate.connection.password", password,
                "jakarta.persistence.schema-generation.database.action", action,
                "hibernate.timezone.default_storage", "NORMALIZE_UTC"))
        .build();
  }

  private static Metadata metadata(StandardServiceRegistry registry) {
    MetadataSources sources = new MetadataSources(registry);
    ENTITIES.forEach(sources::addAnnotatedClass);
    return sources.buildMetadata();
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
