package io.serverlessdata.operator.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The build's last step on the CRD, for what fabric8's generator cannot be told. The generator writes the CRD from
 * the custom resource classes into {@code target/crd-generator/}; this writes it to
 * {@code target/classes/META-INF/fabric8/} (where the jar, the sandbox and the tests take it from, and what
 * {@code crds/} must equal) with three changes, each taken from the model:
 * <ul>
 *   <li>printer columns in the order the kind declares its {@code @AdditionalPrinterColumn}s (the generator sorts
 *       them by JSON path, which puts AGE second; kubectl's convention is last);
 *   <li>no {@code priority: 0} (the generator writes the default; the API server drops it, so a
 *       {@code kubectl apply --server-side} after a client-side apply conflicts on {@code .spec.versions});
 *   <li>the kind's description, from its {@code @JsonClassDescription} (what {@code kubectl explain} shows for the
 *       kind; the generator describes properties only).
 * </ul>
 * Run by {@code exec-maven-plugin} at {@code process-classes} (operator/pom.xml); not used at run time.
 */
public final class CrdLayout {

  static final String HEADER = "# Generated from the classes in operator/src/main/java/io/serverlessdata/operator/api"
      + " by fabric8's CRD generator and CrdLayout: regenerate, do not edit (README, \"Testing\")\n";
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private CrdLayout() {}

  /** {@code CrdLayout <generated CRD> <output>}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: CrdLayout <generated CRD file> <output file>");
    }
    CustomResourceDefinition crd;
    try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
      crd = YAML.unmarshal(in, CustomResourceDefinition.class);
    }
    Path output = Path.of(args[1]);
    Files.createDirectories(output.toAbsolutePath().getParent());
    Files.writeString(output, write(apply(crd, ServerlessDataStack.class)), StandardCharsets.UTF_8);
  }

  /** The CRD with the kind's column order, without zero priorities, with the kind's description. */
  static CustomResourceDefinition apply(CustomResourceDefinition crd, Class<?> kind) {
    List<String> declared = new ArrayList<>();
    for (AdditionalPrinterColumn column : kind.getAnnotationsByType(AdditionalPrinterColumn.class)) {
      declared.add(column.jsonPath());
    }
    JsonClassDescription description = kind.getAnnotation(JsonClassDescription.class);
    if (description == null) {
      throw new IllegalStateException(kind.getName() + " has no @JsonClassDescription for kubectl explain");
    }
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      List<CustomResourceColumnDefinition> columns = new ArrayList<>(version.getAdditionalPrinterColumns());
      for (CustomResourceColumnDefinition column : columns) {
        if (!declared.contains(column.getJsonPath())) {
          throw new IllegalStateException("printer column " + column.getName() + " (" + column.getJsonPath()
              + ") is not declared with @AdditionalPrinterColumn on " + kind.getName());
        }
        if (column.getPriority() != null && column.getPriority() == 0) {
          column.setPriority(null);
        }
      }
      columns.sort(Comparator.comparingInt(column -> declared.indexOf(column.getJsonPath())));
      version.setAdditionalPrinterColumns(columns);
      version.getSchema().getOpenAPIV3Schema().setDescription(description.value());
    }
    return crd;
  }

  /** As fabric8's generator writes a CRD (its YAML, without the document start), under this class's header. */
  static String write(CustomResourceDefinition crd) {
    return HEADER + YAML.asYaml(crd).substring("---\n".length());
  }
}
