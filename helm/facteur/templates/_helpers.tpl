{{/*
Names, labels and the pieces shared by the engine and workers Deployments.
*/}}

{{/* The chart name, or nameOverride. */}}
{{- define "facteur.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* <release>-facteur (or the release name alone when it already contains the chart name), or fullnameOverride. */}}
{{- define "facteur.fullname" -}}
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

{{- define "facteur.engine.fullname" -}}
{{- printf "%s-engine" (include "facteur.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "facteur.workers.fullname" -}}
{{- printf "%s-workers" (include "facteur.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "facteur.config.fullname" -}}
{{- printf "%s-config" (include "facteur.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "facteur.argoExecutor.fullname" -}}
{{- printf "%s-argo-executor" (include "facteur.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "facteur.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every resource. */}}
{{- define "facteur.labels" -}}
helm.sh/chart: {{ include "facteur.chart" . }}
{{ include "facteur.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: facteur
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "facteur.selectorLabels" -}}
app.kubernetes.io/name: {{ include "facteur.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "facteur.engine.labels" -}}
{{ include "facteur.labels" . }}
app.kubernetes.io/component: engine
{{- end }}

{{- define "facteur.engine.selectorLabels" -}}
{{ include "facteur.selectorLabels" . }}
app.kubernetes.io/component: engine
{{- end }}

{{- define "facteur.workers.labels" -}}
{{ include "facteur.labels" . }}
app.kubernetes.io/component: workers
{{- end }}

{{- define "facteur.workers.selectorLabels" -}}
{{ include "facteur.selectorLabels" . }}
app.kubernetes.io/component: workers
{{- end }}

{{/* The engine's ServiceAccount. */}}
{{- define "facteur.engine.serviceAccountName" -}}
{{- if .Values.engine.serviceAccount.create }}
{{- default (include "facteur.engine.fullname" .) .Values.engine.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.engine.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The workers' ServiceAccount. */}}
{{- define "facteur.workers.serviceAccountName" -}}
{{- if .Values.workers.serviceAccount.create }}
{{- default (include "facteur.workers.fullname" .) .Values.workers.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.workers.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The ServiceAccount the stage executor runs under, hence the one the Argo Role is bound to: the
workers' while the workers Deployment runs, else the engine's (it then runs the workers in-process).
*/}}
{{- define "facteur.argoExecutor.serviceAccountName" -}}
{{- if .Values.workers.enabled }}
{{- include "facteur.workers.serviceAccountName" . }}
{{- else }}
{{- include "facteur.engine.serviceAccountName" . }}
{{- end }}
{{- end }}

{{/*
facteur.executor.type of the engine pods. While the workers Deployment runs the stages the engine
never submits a workload, but its wiring still builds an executor: `local` builds an idle one that
needs no Kubernetes API access (`argo` would start a Workflow informer).
*/}}
{{- define "facteur.engine.executorType" -}}
{{- if .Values.engine.executorType }}
{{- .Values.engine.executorType }}
{{- else if .Values.workers.enabled }}
{{- print "local" }}
{{- else }}
{{- .Values.facteur.executor.type }}
{{- end }}
{{- end }}

{{/* "true" when the engine pods talk to the Kubernetes API (they run the Argo executor). */}}
{{- define "facteur.engine.needsKubernetesApi" -}}
{{- eq (include "facteur.engine.executorType" .) "argo" }}
{{- end }}

{{/* "true" when the chart binds the Argo Role to the executor's ServiceAccount. */}}
{{- define "facteur.argoExecutor.rbacEnabled" -}}
{{- and .Values.argo.rbac.create (eq .Values.facteur.executor.type "argo") }}
{{- end }}

{{/* repository:tag of an image; the tag defaults to the chart's appVersion. Argument: (list $image $root). */}}
{{- define "facteur.image" -}}
{{- $image := index . 0 }}
{{- $root := index . 1 }}
{{- printf "%s:%s" $image.repository (default $root.Chart.AppVersion $image.tag) }}
{{- end }}

{{/* URL the workers reach the engine's REST API at (through the engine Service). */}}
{{- define "facteur.engineRestUrl" -}}
{{- printf "http://%s.%s.svc:%d/engine-rest" (include "facteur.engine.fullname" .) .Release.Namespace (int .Values.engine.service.port) }}
{{- end }}

{{/* An EnvVar from a secret reference {secretName, key}. Argument: (list "ENV_NAME" $ref). */}}
{{- define "facteur.secretEnv" -}}
{{- $name := index . 0 }}
{{- $ref := index . 1 -}}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ $ref.secretName }}
      key: {{ $ref.key }}
{{- end }}

{{/*
Environment shared by engine and workers: database, worker account, configuration location,
actuator. Everything secret comes from secretKeyRef; the ConfigMap holds no secret.
*/}}
{{- define "facteur.commonEnv" -}}
- name: SPRING_CONFIG_ADDITIONAL_LOCATION
  value: optional:file:/etc/facteur/
- name: SPRING_DATASOURCE_URL
  value: {{ .Values.database.url | quote }}
{{ include "facteur.secretEnv" (list "SPRING_DATASOURCE_USERNAME" .Values.database.username) }}
{{ include "facteur.secretEnv" (list "SPRING_DATASOURCE_PASSWORD" .Values.database.password) }}
- name: FACTEUR_WORKERS_USER
  value: {{ .Values.workerAccount.user | quote }}
{{ include "facteur.secretEnv" (list "FACTEUR_WORKERS_PASSWORD" .Values.workerAccount.password) }}
- name: FACTEUR_EXECUTOR_ARGO_NAMESPACE
  value: {{ .Values.argo.namespace | quote }}
- name: MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED
  value: "true"
- name: MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE
  value: {{ ternary "health,info,prometheus" "health,info" .Values.metrics.enabled | quote }}
{{- end }}

{{/* Volumes of both Deployments: the configuration and a writable /tmp (the root filesystem is read-only). */}}
{{- define "facteur.volumes" -}}
- name: config
  configMap:
    name: {{ include "facteur.config.fullname" . }}
- name: tmp
  emptyDir: {}
{{- end }}

{{- define "facteur.volumeMounts" -}}
- name: config
  mountPath: /etc/facteur
  readOnly: true
- name: tmp
  mountPath: /tmp
{{- end }}

{{/* A soft anti-affinity spreading one component's pods over nodes. Argument: (list $root "engine"). */}}
{{- define "facteur.spreadAffinity" -}}
{{- $root := index . 0 }}
{{- $component := index . 1 -}}
podAntiAffinity:
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            app.kubernetes.io/name: {{ include "facteur.name" $root }}
            app.kubernetes.io/instance: {{ $root.Release.Name }}
            app.kubernetes.io/component: {{ $component }}
{{- end }}
