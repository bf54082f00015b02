{{/*
The instance id. Every resource is named after it, and the store names the release after it too, so the id is
the release name; instance.id may repeat it (the store sets it) but never differ from it.
*/}}
{{- define "wave-instance.id" -}}
{{- $id := .Values.instance.id | default .Release.Name -}}
{{- if ne $id .Release.Name -}}
{{- fail (printf "instance.id (%s) must equal the release name (%s): Wavestore names each release after its instance" $id .Release.Name) -}}
{{- end -}}
{{- if gt (len $id) 40 -}}
{{- fail (printf "the release name %s is longer than 40 characters; an instance id is a DNS label of at most 40" $id) -}}
{{- end -}}
{{- $id -}}
{{- end -}}

{{/*
A label value made of any string: the string itself when it is a valid label value (at most 63 characters of
letters, digits, '-', '_' and '.', beginning and ending with a letter or digit), else "h-" and the first 40 hex
digits of its SHA-256. The full value is always in an annotation beside it. io.wavestore.scheduler.helm.LabelValues
computes the same.
*/}}
{{- define "wave-instance.labelValue" -}}
{{- $v := toString . -}}
{{- if and (le (len $v) 63) (regexMatch "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$" $v) -}}
{{- $v -}}
{{- else -}}
{{- printf "h-%s" (sha256sum $v | trunc 40) -}}
{{- end -}}
{{- end -}}

{{/* What selects the instance's pods. Never changes for a release (a Deployment's selector is immutable). */}}
{{- define "wave-instance.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
wavestore.io/instance-id: {{ include "wave-instance.id" . }}
{{- end -}}

{{/* The labels of every resource of the instance. */}}
{{- define "wave-instance.labels" -}}
{{ include "wave-instance.selectorLabels" . }}
app.kubernetes.io/version: {{ include "wave-instance.labelValue" .Values.instance.appVersion | quote }}
app.kubernetes.io/component: app
app.kubernetes.io/part-of: wavestore
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
wavestore.io/app-name: {{ include "wave-instance.labelValue" .Values.instance.appName | quote }}
wavestore.io/app-version: {{ include "wave-instance.labelValue" .Values.instance.appVersion | quote }}
wavestore.io/owner: {{ include "wave-instance.labelValue" .Values.instance.owner | quote }}
{{- end -}}

{{/* The instance's facts, verbatim, as annotations of the Deployment (labels may only hold a hash of them). */}}
{{- define "wave-instance.annotations" -}}
wavestore.io/instance-id: {{ include "wave-instance.id" . | quote }}
wavestore.io/app-id: {{ required "instance.appId is required: the catalog id of the app version" .Values.instance.appId | quote }}
wavestore.io/app-name: {{ required "instance.appName is required" .Values.instance.appName | quote }}
wavestore.io/app-version: {{ required "instance.appVersion is required" .Values.instance.appVersion | quote }}
wavestore.io/owner: {{ required "instance.owner is required: who started the instance" .Values.instance.owner | quote }}
wavestore.io/visibility: {{ .Values.instance.visibility | quote }}
wavestore.io/suspended: {{ .Values.instance.suspended | toString | quote }}
wavestore.io/created-at: {{ required "instance.createdAt is required (RFC 3339)" .Values.instance.createdAt | quote }}
{{- end -}}

{{/* The port waved listens on: the end of launcher.listenAddress. */}}
{{- define "wave-instance.listenPort" -}}
{{- regexFind "[0-9]+$" .Values.launcher.listenAddress -}}
{{- end -}}

{{/* The pod's serving port: waved's for a Wave app, the app's own for a python app. */}}
{{- define "wave-instance.containerPort" -}}
{{- if eq .Values.app.mode "python" -}}
{{- required "app.port is required when app.mode is python" .Values.app.port | int -}}
{{- else -}}
{{- include "wave-instance.listenPort" . -}}
{{- end -}}
{{- end -}}

{{/* Where the launcher keeps the Python environment: on the resource volume when there is one. */}}
{{- define "wave-instance.venvDir" -}}
{{- if .Values.volumes.resources.size -}}
/wavestore/resources/venv
{{- else -}}
/wavestore/venv
{{- end -}}
{{- end -}}

{{/* Files whose path is relative (written into the app's directory by the launcher). */}}
{{- define "wave-instance.hasRelativeValueFiles" -}}
{{- range .Values.app.files -}}
{{- if and (not (hasPrefix "/" .path)) (hasKey . "value") -}}true{{- end -}}
{{- end -}}
{{- end -}}

{{- define "wave-instance.hasRelativeSecretFiles" -}}
{{- range .Values.app.files -}}
{{- if and (not (hasPrefix "/" .path)) (hasKey . "secret") -}}true{{- end -}}
{{- end -}}
{{- end -}}

{{- define "wave-instance.hasValueFiles" -}}
{{- range .Values.app.files -}}
{{- if hasKey . "value" -}}true{{- end -}}
{{- end -}}
{{- end -}}

{{- define "wave-instance.hasAbsoluteValueFiles" -}}
{{- range .Values.app.files -}}
{{- if and (hasPrefix "/" .path) (hasKey . "value") -}}true{{- end -}}
{{- end -}}
{{- end -}}
