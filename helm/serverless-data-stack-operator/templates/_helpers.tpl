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
# JOSDK's informer lists and watches; JOSDK adds and removes the finalizer with a JSON patch (no server-side
# apply) and reads the resource again when that patch meets a conflict
- apiGroups: ["serverlessdata.io"]
  resources: ["serverlessdatastacks"]
  verbs: ["get", "list", "watch", "patch"]
# the status, replaced whole with optimistic locking (PUT)
- apiGroups: ["serverlessdata.io"]
  resources: ["serverlessdatastacks/status"]
  verbs: ["update"]
# one new Event per change (no aggregation by patch)
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end }}

{{/*
The namespaces whose resources may export (spec.exportTo), as a list: exportTo.namespaces, else the watched
namespaces (none in cluster scope); empty with exportTo.enabled false. Refuses values that contradict each other.
*/}}
{{- define "sds.exportNamespaces" -}}
{{- $watched := include "sds.watchNamespaces" . | fromJsonArray }}
{{- $listed := default (list) .Values.exportTo.namespaces }}
{{- if not (kindIs "slice" $listed) }}
{{- fail (printf "exportTo.namespaces must be a list of namespaces, e.g. --set 'exportTo.namespaces={team-a,team-b}'; got %v" $listed) }}
{{- end }}
{{- $names := list }}
{{- range $listed }}
{{- $name := toString . }}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" $name) }}
{{- fail (printf "exportTo.namespaces: %q is not a namespace name; RBAC grants per namespace, so list each one (no wildcards)" $name) }}
{{- end }}
{{- if and (not (empty $watched)) (not (has $name $watched)) }}
{{- fail (printf "exportTo.namespaces: %s is not a watched namespace (%s): the operator never reconciles resources there, so nothing there can export; add it to watchNamespace or drop it" $name (join ", " $watched)) }}
{{- end }}
{{- $names = append $names $name }}
{{- end }}
{{- if not .Values.exportTo.enabled }}
{{- if not (empty $names) }}
{{- fail (printf "exportTo.namespaces lists %s but exportTo.enabled is false: set exportTo.enabled=true to grant export there, or empty exportTo.namespaces" (join ", " $names)) }}
{{- end }}
{{- toJson (list) }}
{{- else if not (empty $names) }}
{{- toJson (uniq $names) }}
{{- else }}
{{- toJson $watched }}
{{- end }}
{{- end }}
