"""How the benchmark scripts start the exporter: as uid/gid 65532 with no supplementary groups when
they run as root, as the image and the Kubernetes sidecar run it (setpriv execs in place, so the
process they measure is the exporter itself)."""
import os

PREFIX = ["setpriv", "--reuid=65532", "--regid=65532", "--clear-groups", "--"] if os.geteuid() == 0 else []

