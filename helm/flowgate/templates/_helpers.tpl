{{/* Chart name, truncated to the DNS label limit. */}}
{{- define "flowgate.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name: the release name, suffixed with the chart name unless it already contains it. */}}
{{- define "flowgate.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "flowgate.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "flowgate.selectorLabels" -}}
app.kubernetes.io/name: {{ include "flowgate.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "flowgate.labels" -}}
helm.sh/chart: {{ include "flowgate.chart" . }}
{{ include "flowgate.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: flowgate
{{- end }}

{{- define "flowgate.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "flowgate.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "flowgate.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* OTLP endpoint: the bundled Jaeger when enabled, otherwise otel.endpoint. */}}
{{- define "flowgate.otelEndpoint" -}}
{{- if .Values.jaeger.enabled }}
{{- printf "http://%s-jaeger:4317" (include "flowgate.fullname" .) }}
{{- else }}
{{- .Values.otel.endpoint }}
{{- end }}
{{- end }}

{{/*
The Deployments to render, as YAML {groups: [{name, component, roles, replicaCount, resources, api, autoscale}]}.
Combined: one group "all" running every enabled role. Split: one group per enabled role.
*/}}
{{- define "flowgate.groups" -}}
{{- $fullname := include "flowgate.fullname" . }}
{{- $groups := list }}
{{- if .Values.roles.split }}
{{- range $role := .Values.roles.enabled }}
{{- $cfg := index $.Values.roles $role }}
{{- $replicas := $.Values.replicaCount }}
{{- if not (kindIs "invalid" $cfg.replicaCount) }}{{ $replicas = $cfg.replicaCount }}{{ end }}
{{- $resources := $.Values.resources }}
{{- if $cfg.resources }}{{ $resources = $cfg.resources }}{{ end }}
{{- $groups = append $groups (dict "name" (printf "%s-%s" $fullname $role) "component" $role "roles" (list $role) "replicaCount" $replicas "resources" $resources "api" (eq $role "api") "autoscale" (and $.Values.autoscaling.enabled (has $role $.Values.autoscaling.roles))) }}
{{- end }}
{{- else }}
{{- $groups = append $groups (dict "name" $fullname "component" "all" "roles" .Values.roles.enabled "replicaCount" .Values.replicaCount "resources" .Values.resources "api" (has "api" .Values.roles.enabled) "autoscale" .Values.autoscaling.enabled) }}
{{- end }}
{{- toYaml (dict "groups" $groups) }}
{{- end }}
