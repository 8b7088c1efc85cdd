{{- define "sds.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "sds.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "sds.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sds.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "sds.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "sds.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "sds.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "sds.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The watched namespaces as a list; empty = all namespaces. */}}
{{- define "sds.watchNamespaces" -}}
{{- $list := list }}
{{- range (splitList "," (default "" .Values.watchNamespace)) }}
{{- if trim . }}{{- $list = append $list (trim .) }}{{- end }}
{{- end }}
{{- if and (eq .Values.installScope "namespace") (empty $list) }}
{{- $list = list .Release.Namespace }}
{{- end }}
{{- toJson $list }}
{{- end }}

{{- define "sds.leaderElection" -}}
{{- $enabled := .Values.leaderElection.enabled | toString }}
{{- if eq $enabled "auto" }}{{ gt (int .Values.deployment.replicas) 1 }}{{ else }}{{ eq $enabled "true" }}{{ end }}
{{- end }}

{{/* Rules on the operator's own resources, shared by the ClusterRole and the namespaced Roles. */}}
{{- define "sds.rules" -}}
- apiGroups: ["serverlessdata.io"]
  resources: ["serverlessdatastacks"]
  verbs: ["get", "list", "watch", "update", "patch"]
- apiGroups: ["serverlessdata.io"]
  resources: ["serverlessdatastacks/status"]
  verbs: ["update", "patch"]
# owner references with blockOwnerDeletion on exported ConfigMaps/Secrets (OwnerReferencesPermissionEnforcement)
- apiGroups: ["serverlessdata.io"]
  resources: ["serverlessdatastacks/finalizers"]
  verbs: ["update"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- if .Values.exportTo.enabled }}
# spec.exportTo: outputs into a ConfigMap, the endpoint and API key into a Secret; delete only after a rename
# or removal in the spec; no list or watch
- apiGroups: [""]
  resources: ["configmaps", "secrets"]
  verbs: ["get", "create", "update", "delete"]
{{- end }}
{{- end }}
