package io.serverlessdata.operator.template.cfn;

/** Something a template can {@code Ref}: a parameter or a resource. */
public interface Referenceable {

  String logicalId();

  /** {@code {"Ref": logicalId}}. */
  default Intrinsic ref() {
    return Fn.ref(this);
  }
}
