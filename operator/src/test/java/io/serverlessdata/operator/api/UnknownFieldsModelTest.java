package io.serverlessdata.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every part of the model takes a field it does not know instead of refusing it: one refusal fails the informer's
 * deserialisation, and with it the whole operator. A new part of the spec that forgets to collect them fails here.
 */
class UnknownFieldsModelTest {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  static Stream<Class<?>> specParts() {
    return reachable(ServerlessDataStackSpec.class).stream();
  }

  static Stream<Class<?>> statusParts() {
    return reachable(ServerlessDataStackStatus.class).stream();
  }

  @ParameterizedTest
  @MethodSource("specParts")
  void everyPartOfTheSpecCollectsTheFieldsItDoesNotKnow(Class<?> part) {
    Object read = JSON.unmarshal("{\"newerField\": {\"a\": [1]}, \"typo\": null}", part);

    assertThat(read).isInstanceOf(HasUnknownFields.class);
    assertThat(((HasUnknownFields) read).unknownFields())
        .containsOnlyKeys("newerField", "typo").containsEntry("newerField", Map.of("a", List.of(1)));
    assertThat(((HasUnknownFields) read).knownFields()).isNotEmpty().doesNotContain(HasUnknownFields.COMPONENT);
  }

  @ParameterizedTest
  @MethodSource("statusParts")
  void everyPartOfTheStatusIgnoresTheFieldsItDoesNotKnow(Class<?> part) {
    assertThat(JSON.unmarshal("{\"newerField\": {\"a\": [1]}}", part)).isInstanceOf(part);
  }

  @Test
  void theWalkFindsTheNestedParts() {
    assertThat(reachable(ServerlessDataStackSpec.class)).contains(ServerlessDataStackSpec.LambdaSpec.class,
        ServerlessDataStackSpec.CloudFormationSpec.class);
    assertThat(reachable(ServerlessDataStackStatus.class)).contains(ServerlessDataStackStatus.PropertyDifference.class);
  }

  /** The class and every class of this project its fields hold, directly or in a collection. */
  private static Set<Class<?>> reachable(Class<?> root) {
    Set<Class<?>> found = new LinkedHashSet<>();
    List<Type> pending = new ArrayList<>(List.of(root));
    while (!pending.isEmpty()) {
      Type type = pending.remove(0);
      if (type instanceof ParameterizedType parameterized) {
        pending.addAll(List.of(parameterized.getActualTypeArguments()));
      } else if (type instanceof Class<?> c && c.getName().startsWith("io.serverlessdata.") && !c.isEnum()
          && found.add(c)) {
        if (c.isRecord()) {
          for (RecordComponent component : c.getRecordComponents()) {
            pending.add(component.getGenericType());
          }
        } else {
          for (Field field : c.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
              pending.add(field.getGenericType());
            }
          }
        }
      }
    }
    return found;
  }
}
