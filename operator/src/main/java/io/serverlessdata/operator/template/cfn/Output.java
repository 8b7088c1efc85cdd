package io.serverlessdata.operator.template.cfn;

/**
 * A stack output.
 *
 * @param name the output's key, as the status reports it
 * @param description what it is
 * @param value a literal or an {@link Intrinsic}
 */
public record Output(String name, String description, Object value) {}
