package io.flowgate.api.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.flowgate.support.Api;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.security.Authenticated;
import io.quarkus.security.PermissionsAllowed;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Deny by default: an endpoint that declares nothing is refused to every caller, the admin
 * included, with the service's own problem bodies; and every endpoint of the service declares who
 * may call it.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class DenyByDefaultTest {

  private static final String PROBE = "/api/v1/test-only/unannotated";

  private static final List<Class<? extends Annotation>> DECLARATIONS =
      List.of(
          RolesAllowed.class,
          PermissionsAllowed.class,
          Authenticated.class,
          PermitAll.class,
          DenyAll.class);

  @Test
  void anUnannotatedEndpointIsForbiddenEvenToTheAdmin() {
    Api.admin()
        .get(PROBE)
        .then()
        .statusCode(403)
        .contentType(containsString("application/problem+json"))
        .body("code", equalTo("FORBIDDEN"))
        .body(not(containsString(UnannotatedProbeResource.SECRET)));
  }

  @Test
  void anUnannotatedEndpointIsUnauthenticatedWithoutAToken() {
    given()
        .get(PROBE)
        .then()
        .statusCode(401)
        .contentType(containsString("application/problem+json"))
        .body("code", equalTo("UNAUTHENTICATED"));
  }

  @Test
  void everyEndpointOfTheServiceDeclaresWhoMayCallIt() {
    Set<String> undeclared = new TreeSet<>();
    for (JavaClass type :
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.flowgate")) {
      if (!type.isAnnotatedWith(Path.class)) {
        continue;
      }
      boolean typeDeclares = DECLARATIONS.stream().anyMatch(type::isAnnotatedWith);
      for (JavaMethod method : type.getMethods()) {
        boolean endpoint =
            List.of(GET.class, POST.class, PUT.class, DELETE.class).stream()
                .anyMatch(method::isAnnotatedWith);
        if (endpoint && !typeDeclares && DECLARATIONS.stream().noneMatch(method::isAnnotatedWith)) {
          undeclared.add(type.getSimpleName() + "." + method.getName());
        }
      }
    }
    assertThat(undeclared).as("endpoints without a security declaration").isEmpty();
  }
}
