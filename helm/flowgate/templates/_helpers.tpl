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

{{/* repository@digest when a digest is given (immutable), else repository:tag. */}}
{{- define "flowgate.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* pullPolicy, or by default Always for a mutable tag (SNAPSHOT, latest), else IfNotPresent. */}}
{{- define "flowgate.pullPolicy" -}}
{{- if .Values.image.pullPolicy }}
{{- .Values.image.pullPolicy }}
{{- else if .Values.image.digest }}
{{- "IfNotPresent" }}
{{- else }}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if or (hasSuffix "SNAPSHOT" $tag) (eq $tag "latest") }}Always{{ else }}IfNotPresent{{ end }}
{{- end }}
{{- end }}

{{/* Refusals the JSON schema cannot express (comparisons between two values). */}}
{{- define "flowgate.validate" -}}
{{- $groups := (include "flowgate.groups" . | fromYaml).groups }}
{{- range $g := $groups }}
{{- if and $g.autoscale (gt (int $g.minReplicas) (int $g.maxReplicas)) }}
{{- fail (printf "autoscaling of %s: minReplicas %d > maxReplicas %d" $g.name (int $g.minReplicas) (int $g.maxReplicas)) }}
{{- end }}
{{- end }}
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
The Deployments to render, as YAML {groups: [{name, component, roles, replicaCount, resources,
poolSize, api, autoscale, keda, minReplicas, maxReplicas, targetCPU}]}.
Combined: one group "all" running every enabled role. Split: one group per enabled role, whose
autoscaling.<role> and roles.<role> settings override the top-level ones.
*/}}
{{- define "flowgate.groups" -}}
{{- $fullname := include "flowgate.fullname" . }}
{{- $a := .Values.autoscaling }}
{{- $groups := list }}
{{- if .Values.roles.split }}
{{- range $role := .Values.roles.enabled }}
{{- $cfg := index $.Values.roles $role }}
{{- $replicas := $.Values.replicaCount }}
{{- if not (kindIs "invalid" $cfg.replicaCount) }}{{ $replicas = $cfg.replicaCount }}{{ end }}
{{- $resources := $.Values.resources }}
{{- if $cfg.resources }}{{ $resources = $cfg.resources }}{{ end }}
{{- $pool := $.Values.database.poolSize }}
{{- if not (kindIs "invalid" $cfg.poolSize) }}{{ $pool = $cfg.poolSize }}{{ end }}
{{- $scale := default dict (index $a $role) }}
{{- $min := $a.minReplicas }}{{ if not (kindIs "invalid" $scale.minReplicas) }}{{ $min = $scale.minReplicas }}{{ end }}
{{- $max := $a.maxReplicas }}{{ if not (kindIs "invalid" $scale.maxReplicas) }}{{ $max = $scale.maxReplicas }}{{ end }}
{{- $cpu := $a.targetCPUUtilizationPercentage }}{{ if not (kindIs "invalid" $scale.targetCPUUtilizationPercentage) }}{{ $cpu = $scale.targetCPUUtilizationPercentage }}{{ end }}
{{- $autoscale := and $a.enabled (has $role $a.roles) }}
{{- $groups = append $groups (dict "name" (printf "%s-%s" $fullname $role) "component" $role "roles" (list $role) "replicaCount" $replicas "resources" $resources "poolSize" $pool "api" (eq $role "api") "autoscale" $autoscale "keda" (and $autoscale $a.keda.enabled (has $role $a.keda.roles)) "minReplicas" $min "maxReplicas" $max "targetCPU" $cpu) }}
{{- end }}
{{- else }}
{{- $groups = append $groups (dict "name" $fullname "component" "all" "roles" .Values.roles.enabled "replicaCount" .Values.replicaCount "resources" .Values.resources "poolSize" .Values.database.poolSize "api" (has "api" .Values.roles.enabled) "autoscale" $a.enabled "keda" false "minReplicas" $a.minReplicas "maxReplicas" $a.maxReplicas "targetCPU" $a.targetCPUUtilizationPercentage) }}
{{- end }}
{{- toYaml (dict "groups" $groups) }}
{{- end }}
