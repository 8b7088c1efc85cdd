package io.serverlessdata.operator.reconciler;

/** The condition types of a resource's status, with ACK's names. */
public final class ConditionTypes {

  public static final String READY = "Ready";
  public static final String SYNCED = "ACK.ResourceSynced";
  public static final String TERMINAL = "ACK.Terminal";
  public static final String RECOVERABLE = "ACK.Recoverable";
  public static final String ADVISORY = "ACK.Advisory";
  public static final String ADOPTED = "ACK.Adopted";
  public static final String DRIFTED = "Drifted";
  /**
   * Whether the outputs are in the ConfigMap and Secret that {@code spec.exportTo} names (absent when it names
   * none). {@code False} also makes {@code Ready} false: the apps that read them are not served.
   */
  public static final String EXPORTED = "Exported";

  private ConditionTypes() {}
}
