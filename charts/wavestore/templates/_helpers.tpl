{{/* The chart's name, and the store's full name: the prefix of every resource (room left for suffixes). */}}
{{- define "wavestore.name" -}}
{{- .Values.nameOverride | default .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}

{{- define "wavestore.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" -}}
{{- else if contains (include "wavestore.name" .) .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "wavestore.name" .) | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* What selects the store's pods: the Deployment, the Services, the PDB, cluster bootstrap, the NetworkPolicy. */}}
{{- define "wavestore.selectorLabels" -}}
app.kubernetes.io/name: {{ include "wavestore.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: store
{{- end -}}

{{/* The same as a label selector string, for Pekko's Kubernetes API discovery. */}}
{{- define "wavestore.selector" -}}
{{- $parts := list -}}
{{- range $k, $v := include "wavestore.selectorLabels" . | fromYaml -}}
{{- $parts = append $parts (printf "%s=%s" $k $v) -}}
{{- end -}}
{{- join "," $parts -}}
{{- end -}}

{{- define "wavestore.labels" -}}
{{ include "wavestore.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: wavestore
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "wavestore.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "wavestore.fullname" .) -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "wavestore.instanceNamespace" -}}
{{- .Values.instanceNamespace | default .Release.Namespace -}}
{{- end -}}

{{/* The Secret the chart makes for generated and inline secrets. */}}
{{- define "wavestore.secretName" -}}
{{- include "wavestore.fullname" . -}}
{{- end -}}

{{/* The store's Service URL as instance pods see it: where launchers download bundles and report progress. */}}
{{- define "wavestore.internalUrl" -}}
{{- printf "http://%s.%s.svc.cluster.local:%d" (include "wavestore.fullname" .) .Release.Namespace (.Values.service.port | int) -}}
{{- end -}}

{{- define "wavestore.requiredContactPoints" -}}
{{- if gt (.Values.cluster.requiredContactPoints | int) 0 -}}
{{- .Values.cluster.requiredContactPoints | int -}}
{{- else -}}
{{- min 2 (.Values.replicaCount | int) -}}
{{- end -}}
{{- end -}}

{{/* The blob claim's name: the user's, or the chart's. */}}
{{- define "wavestore.blobClaim" -}}
{{- .Values.blobs.filesystem.existingClaim | default (printf "%s-blobs" (include "wavestore.fullname" .)) -}}
{{- end -}}

{{/*
Combinations of values that cannot work, refused with a message that says what to do. values.schema.json checks
each value on its own; these are about values together. Included by the Deployment, so every render runs them.
*/}}
{{- define "wavestore.validate" -}}
{{- $v := .Values -}}
{{- if not $v.publicUrl -}}
{{- fail "publicUrl is required: the URL people open the store at, e.g. https://store.example.com" -}}
{{- end }}
{{- if not .Values.router.appsDomain -}}
{{- fail "router.appsDomain is required: apps are served on host names of their own, never on the store's (e.g. apps.example.com, with DNS and a certificate for it and *.apps.example.com)" -}}
{{- end -}}
{{- if not $v.database.url -}}
{{- fail "database.url is required, e.g. jdbc:postgresql://postgres:5432/wavestore: replicas share one PostgreSQL (the embedded one is for a single machine)" -}}
{{- end -}}
{{- if and $v.database.password $v.database.existingSecret -}}
{{- fail "database.password and database.existingSecret are both set: give the password one way" -}}
{{- end -}}
{{- if eq $v.identity.mode "development" -}}
{{- if not $v.identity.development.allowNonLoopback -}}
{{- fail "identity.mode development signs nobody in (every caller is an admin) and refuses to listen beyond loopback, which a pod must; use identity.mode oidc, or set identity.development.allowNonLoopback=true for a throwaway cluster" -}}
{{- end -}}
{{- else -}}
{{- if not (and $v.identity.oidc.issuer $v.identity.oidc.clientId) -}}
{{- fail "identity.oidc.issuer and identity.oidc.clientId are required with identity.mode oidc (the store's client at your OpenID Connect provider)" -}}
{{- end -}}
{{- if and $v.identity.oidc.clientSecret $v.identity.oidc.existingSecret -}}
{{- fail "identity.oidc.clientSecret and identity.oidc.existingSecret are both set: give the client secret one way" -}}
{{- end -}}
{{- if and $v.identity.oidc.secretKeyKey (not $v.identity.oidc.existingSecret) -}}
{{- fail "identity.oidc.secretKeyKey names a key of identity.oidc.existingSecret, which is not set" -}}
{{- end -}}
{{- end -}}
{{- if eq $v.blobs.type "s3" -}}
{{- if not $v.blobs.s3.bucket -}}
{{- fail "blobs.s3.bucket is required with blobs.type s3" -}}
{{- end -}}
{{- if ne (empty $v.blobs.s3.accessKey) (empty $v.blobs.s3.secretKey) -}}
{{- fail "blobs.s3.accessKey and blobs.s3.secretKey go together: set both, or neither (the default AWS credential chain)" -}}
{{- end -}}
{{- if and $v.blobs.s3.accessKey $v.blobs.s3.existingSecret -}}
{{- fail "blobs.s3.accessKey and blobs.s3.existingSecret are both set: give the S3 keys one way" -}}
{{- end -}}
{{- else if eq $v.blobs.type "azure" -}}
{{- with $v.blobs.azure -}}
{{- if not .container -}}
{{- fail "blobs.azure.container is required with blobs.type azure" -}}
{{- end -}}
{{- if eq .credential "identity" -}}
{{- if not .endpoint -}}
{{- fail "blobs.azure.endpoint is required with blobs.azure.credential identity, e.g. https://<account>.blob.core.windows.net" -}}
{{- end -}}
{{- if or .accountKey .connectionString .existingSecret -}}
{{- fail "blobs.azure.credential is identity, but an account key, connection string or existingSecret is set: set blobs.azure.credential accountKey or connectionString to use them" -}}
{{- end -}}
{{- else -}}
{{- $inline := ternary .accountKey .connectionString (eq .credential "accountKey") -}}
{{- if eq (empty $inline) (empty .existingSecret) -}}
{{- fail (printf "blobs.azure.credential %s needs blobs.azure.%s or blobs.azure.existingSecret, one of them" .credential .credential) -}}
{{- end -}}
{{- if and (eq .credential "accountKey") (or (not .accountName) (not .endpoint)) -}}
{{- fail "blobs.azure.credential accountKey needs blobs.azure.accountName and blobs.azure.endpoint" -}}
{{- end -}}
{{- if and (eq .credential "accountKey") .connectionString -}}
{{- fail "blobs.azure.connectionString is set, but blobs.azure.credential is accountKey" -}}
{{- end -}}
{{- if and (eq .credential "connectionString") .accountKey -}}
{{- fail "blobs.azure.accountKey is set, but blobs.azure.credential is connectionString" -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- else if eq $v.blobs.type "gcs" -}}
{{- if not $v.blobs.gcs.bucket -}}
{{- fail "blobs.gcs.bucket is required with blobs.type gcs" -}}
{{- end -}}
{{- else -}}
{{- $rwo := has $v.blobs.filesystem.accessMode (list "ReadWriteOnce" "ReadWriteOncePod") -}}
{{- if and $rwo (gt ($v.replicaCount | int) 1) (not $v.blobs.filesystem.allowReadWriteOnceWithReplicas) -}}
{{- fail (printf "blobs.type filesystem with %d replicas needs a ReadWriteMany claim (every replica reads and writes the blobs), not %s: set blobs.filesystem.accessMode ReadWriteMany with a storage class that offers it, use blobs.type s3, or set blobs.filesystem.allowReadWriteOnceWithReplicas=true if every replica runs on one node" ($v.replicaCount | int) $v.blobs.filesystem.accessMode) -}}
{{- end -}}
{{- end -}}
{{- if lt ($v.terminationGracePeriodSeconds | int) (add ($v.shutdownDeadlineSeconds | int) 10 | int) -}}
{{- fail (printf "terminationGracePeriodSeconds (%d) must exceed shutdownDeadlineSeconds (%d) by at least 10 s, or Kubernetes kills replicas before they have left the cluster" ($v.terminationGracePeriodSeconds | int) ($v.shutdownDeadlineSeconds | int)) -}}
{{- end -}}
{{- if and $v.ingress.enabled (not $v.ingress.host) -}}
{{- fail "ingress.host is required with ingress.enabled, e.g. store.example.com" -}}
{{- end -}}
{{- end -}}

{{/* instances.image.byPython as the store reads it: "3.10=repository:tag,3.12=repository:tag". */}}
{{- define "wavestore.imagesByPython" -}}
{{- $entries := list -}}
{{- range $version, $image := . -}}
{{- $entries = append $entries (printf "%s=%s" $version $image) -}}
{{- end -}}
{{- join "," $entries -}}
{{- end -}}
