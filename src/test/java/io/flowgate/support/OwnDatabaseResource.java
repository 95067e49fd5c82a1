package io.flowgate.support;

import io.flowgate.embedded.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;

/**
 * A database of its own, owned by a role of its own that is not a superuser, on the same PostgreSQL
 * as every other test: a test may revoke grants, rename columns or change that role's settings
 * without touching the database the other test classes use. {@link #admin()} connects as the
 * superuser, to make and undo those changes.
 */
public class OwnDatabaseResource implements QuarkusTestResourceLifecycleManager {

  public static final String ROLE = "flowgate_refusal_app";
  public static final String DATABASE = "flowgate_refusal";

  private static String serverUrl;

  @Override
  public Map<String, String> start() {
    if (System.getenv("FLOWGATE_TEST_DB_URL") != null) {
      throw new IllegalStateException("needs the embedded PostgreSQL (creates roles)");
    }
    String url = EmbeddedDatabase.start(Optional.empty(), false);
    serverUrl = url.substring(0, url.lastIndexOf('/'));
    try (Connection admin = connect("postgres");
        Statement sql = admin.createStatement()) {
      sql.execute("drop database if exists " + DATABASE + " with (force)");
      sql.execute(
          "do $$ begin if not exists (select from pg_roles where rolname = '"
              + ROLE
              + "') then create role "
              + ROLE
              + " login; end if; end $$");
      sql.execute("alter role " + ROLE + " login");
      sql.execute("alter role " + ROLE + " reset all");
      sql.execute("create database " + DATABASE + " owner " + ROLE);
    } catch (SQLException e) {
      throw new IllegalStateException("could not make the test's own database", e);
    }
    return Map.of("flowgate.db.url", serverUrl + "/" + DATABASE, "flowgate.db.user", ROLE);
  }

  /** A superuser connection to the test's own database. */
  public static Connection admin() throws SQLException {
    return connect(DATABASE);
  }

  private static Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:" + serverUrl + "/" + database, EmbeddedDatabase.user(), "");
  }

  @Override
  public void stop() {
    // the database stays until the JVM ends; the next start drops and recreates it
  }
}
