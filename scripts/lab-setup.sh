#!/usr/bin/env bash
# oomlab lab setup: make sure a Docker engine answers, the base image exists and
# every workload image under workloads/*/ is built. Idempotent; a re-run with
# everything in place takes a few seconds.
#
#   npm run lab:setup            (or: bash scripts/lab-setup.sh)
#
# Environment:
#   DOCKER_HOST          engine to use (default: the local /var/run/docker.sock;
#                        a local dockerd is only started when DOCKER_HOST is unset
#                        or points at that socket)
#   OOMLAB_BASE_IMAGE    base image for the workload builds, used as is (pulled if
#                        missing), e.g. debian:bookworm-slim with registry access.
#                        Default: oomlab/base:bookworm, pulled from
#                        debian:bookworm-slim or built offline with debootstrap.
set -euo pipefail

cd "$(dirname "$0")/.."

readonly DEFAULT_BASE_IMAGE=oomlab/base:bookworm
readonly DOCKERD_LOG=/var/log/oomlab-dockerd.log
readonly LOCAL_SOCKET=/var/run/docker.sock
readonly DOCKERD_PIDFILE=/var/run/docker.pid
readonly DEBIAN_MIRROR=http://deb.debian.org/debian
readonly ENGINE_WAIT_SECONDS=60

log() { printf 'lab-setup: %s\n' "$*"; }
warn() { printf 'lab-setup: warning: %s\n' "$*" >&2; }
die() { printf 'lab-setup: error: %s\n' "$*" >&2; exit 1; }

# --- cleanup of temporary files/directories (also on failure) -----------------
TMP_PATHS=()
remove_path() {
  local p=$1 mnt
  [ -e "$p" ] || return 0
  if [ -d "$p" ]; then
    # debootstrap may leave /proc, /sys or a bind mount of the host's /dev
    # mounted inside the target when it fails; unmount them (deepest first)
    # before deleting, and never let rm cross into another file system.
    if command -v findmnt >/dev/null 2>&1; then
      while read -r mnt; do
        if [ -n "$mnt" ]; then umount -l "$mnt" 2>/dev/null || true; fi
      done < <(findmnt -rn -o TARGET | grep -F -- "$p/" | sort -r || true)
    fi
    rm -rf --one-file-system -- "$p" || warn "could not remove $p"
  else
    rm -f -- "$p" || true
  fi
}
cleanup() {
  local p
  for p in "${TMP_PATHS[@]+"${TMP_PATHS[@]}"}"; do remove_path "$p"; done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- apt ------------------------------------------------------------------------
APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    apt-get update -qq || return 1
    APT_UPDATED=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null || return 1
}

# --- step 1: preconditions --------------------------------------------------------
check_host() {
  if [ "$(id -u)" -ne 0 ]; then
    die "must run as root (it may install packages, start dockerd and build images); try: sudo npm run lab:setup"
  fi
  local id="" id_like=""
  if [ -r /etc/os-release ]; then
    # shellcheck disable=SC1091
    id=$(. /etc/os-release && printf '%s' "${ID:-}")
    # shellcheck disable=SC1091
    id_like=$(. /etc/os-release && printf '%s' "${ID_LIKE:-}")
  fi
  case " $id $id_like " in
    *" debian "* | *" ubuntu "*) ;;
    *)
      [ -f /etc/debian_version ] ||
        die "needs Debian or Ubuntu (found '${id:-unknown}'); set up Docker and the images by hand as described in the README"
      ;;
  esac
}

# --- step 2: docker engine ---------------------------------------------------------
engine_answers() {
  command -v docker >/dev/null 2>&1 && timeout 15 docker info >/dev/null 2>&1
}

using_local_socket() {
  [ -z "${DOCKER_HOST:-}" ] || [ "$DOCKER_HOST" = "unix://$LOCAL_SOCKET" ] ||
    [ "$DOCKER_HOST" = "unix:///run/docker.sock" ]
}

# pid of a running dockerd from its pid file, if any
running_dockerd_pid() {
  local pid
  [ -r "$DOCKERD_PIDFILE" ] || return 1
  pid=$(cat "$DOCKERD_PIDFILE" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ] &&
    printf '%s\n' "$pid"
}

print_engine_log_tail() {
  if [ -f "$DOCKERD_LOG" ]; then
    printf 'lab-setup: last 30 lines of %s:\n' "$DOCKERD_LOG" >&2
    tail -n 30 "$DOCKERD_LOG" >&2 || true
  fi
}

ensure_engine() {
  if engine_answers; then
    log "docker engine answers${DOCKER_HOST:+ at $DOCKER_HOST}; skipping engine setup"
  else
    if ! using_local_socket; then
      die "no docker engine answers at DOCKER_HOST=$DOCKER_HOST; start it, or unset DOCKER_HOST to let lab-setup start a local dockerd"
    fi
    if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
      log "dockerd or docker client missing; installing Debian's docker.io"
      apt_install docker.io || die "apt-get install docker.io failed"
      hash -r
      command -v dockerd >/dev/null 2>&1 || die "docker.io installed but dockerd is still not on PATH"
    fi

    local pid
    if pid=$(running_dockerd_pid); then
      log "dockerd already running (pid $pid) but not answering yet; waiting"
    else
      log "starting dockerd in the background (log: $DOCKERD_LOG)"
      # setsid: own session, so it survives this script and its terminal/CI step.
      setsid nohup dockerd >"$DOCKERD_LOG" 2>&1 </dev/null &
      pid=$!
    fi

    local deadline=$((SECONDS + ENGINE_WAIT_SECONDS))
    until [ -S "$LOCAL_SOCKET" ] && engine_answers; do
      if ! kill -0 "$pid" 2>/dev/null && ! running_dockerd_pid >/dev/null; then
        print_engine_log_tail
        die "dockerd exited during startup"
      fi
      if [ "$SECONDS" -ge "$deadline" ]; then
        print_engine_log_tail
        die "docker engine did not answer within ${ENGINE_WAIT_SECONDS}s"
      fi
      sleep 1
    done
    log "dockerd is up"
  fi

  local version cgroup
  version=$(docker version --format '{{.Server.Version}}' 2>/dev/null || echo unknown)
  cgroup=$(docker info --format 'cgroup v{{.CgroupVersion}}, driver {{.CgroupDriver}}' 2>/dev/null || echo 'cgroup unknown')
  log "docker server $version; $cgroup"
}

# --- step 3: base image -------------------------------------------------------------
image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

build_base_offline() {
  local image=$1 tmpdir
  if ! command -v debootstrap >/dev/null 2>&1; then
    apt_install debootstrap || die "apt-get install debootstrap failed"
    hash -r
  fi
  tmpdir=$(mktemp -d /var/tmp/oomlab-base.XXXXXX)
  TMP_PATHS+=("$tmpdir")
  local dblog="$tmpdir.log"
  TMP_PATHS+=("$dblog")
  log "building $image offline with debootstrap (minbase bookworm from $DEBIAN_MIRROR; takes a few minutes)"
  if ! debootstrap --variant=minbase bookworm "$tmpdir" "$DEBIAN_MIRROR" >"$dblog" 2>&1; then
    printf 'lab-setup: last 30 lines of the debootstrap log:\n' >&2
    tail -n 30 "$dblog" >&2 || true
    if [ -f "$tmpdir/debootstrap/debootstrap.log" ]; then
      tail -n 30 "$tmpdir/debootstrap/debootstrap.log" >&2 || true
    fi
    die "debootstrap failed"
  fi
  # Downloaded .debs and package lists are not needed in the image
  # (workload Dockerfiles run apt-get update themselves).
  rm -rf "$tmpdir"/var/cache/apt/archives/*.deb "$tmpdir"/var/lib/apt/lists/* 2>/dev/null || true
  log "importing $image"
  tar --numeric-owner -C "$tmpdir" -c . |
    docker import --change 'CMD ["bash"]' - "$image" >/dev/null ||
    die "docker import of $image failed"
  remove_path "$tmpdir"
  remove_path "$dblog"
}

ensure_base_image() {
  if [ -n "${OOMLAB_BASE_IMAGE:-}" ]; then
    BASE_IMAGE=$OOMLAB_BASE_IMAGE
    if image_exists "$BASE_IMAGE"; then
      log "base image $BASE_IMAGE (from OOMLAB_BASE_IMAGE) present"
    else
      log "pulling base image $BASE_IMAGE (from OOMLAB_BASE_IMAGE)"
      docker pull -q "$BASE_IMAGE" >/dev/null ||
        die "docker pull $BASE_IMAGE failed; unset OOMLAB_BASE_IMAGE to build $DEFAULT_BASE_IMAGE offline"
    fi
    return 0
  fi

  BASE_IMAGE=$DEFAULT_BASE_IMAGE
  if image_exists "$BASE_IMAGE"; then
    log "base image $BASE_IMAGE present"
    return 0
  fi
  log "base image $BASE_IMAGE missing; trying docker pull debian:bookworm-slim (20 s limit)"
  if timeout 20 docker pull -q debian:bookworm-slim >/dev/null 2>&1 &&
    docker tag debian:bookworm-slim "$BASE_IMAGE"; then
    log "tagged debian:bookworm-slim as $BASE_IMAGE"
  else
    log "no registry access; building $BASE_IMAGE offline"
    build_base_offline "$BASE_IMAGE"
  fi
  image_exists "$BASE_IMAGE" || die "base image $BASE_IMAGE still missing"
}

# --- step 4: workload images ----------------------------------------------------------
build_workloads() {
  local dir name tag blog t0 count=0
  for dir in workloads/*/; do
    dir=${dir%/}
    [ -f "$dir/Dockerfile" ] || continue
    name=$(basename "$dir")
    tag="oomlab/$name:latest"
    blog=$(mktemp /var/tmp/oomlab-build-"$name".XXXXXX)
    TMP_PATHS+=("$blog")
    t0=$SECONDS
    # Host networking: the build only fetches packages, and needs no docker0 bridge to do it.
    if ! docker build --network host --force-rm --build-arg "BASE=$BASE_IMAGE" -t "$tag" "$dir" >"$blog" 2>&1; then
      printf 'lab-setup: docker build of %s failed; last 40 lines:\n' "$tag" >&2
      tail -n 40 "$blog" >&2 || true
      die "building $tag failed (docker build --build-arg BASE=$BASE_IMAGE -t $tag $dir)"
    fi
    log "built $tag ($((SECONDS - t0))s)"
    count=$((count + 1))
  done
  [ "$count" -gt 0 ] || warn "no workloads/*/Dockerfile found"
  WORKLOAD_COUNT=$count
}

# --- step 5: what the host engine runs without Docker ---------------------------------
# hog is built with gcc and jvm with javac on first use; mysqld needs MariaDB on the host. Installing it must
# not start a server: a policy-rc.d that says no is put in place for the install unless one is there already.
ensure_host_workloads() {
  command -v gcc >/dev/null || apt_install gcc libc6-dev
  if ! command -v mariadbd >/dev/null || ! command -v mariadb-install-db >/dev/null; then
    local own_policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
      chmod +x /usr/sbin/policy-rc.d
      own_policy=1
    fi
    apt_install mariadb-server
    [ -z "$own_policy" ] || rm -f /usr/sbin/policy-rc.d
    log "installed mariadb-server for the host engine (no service started)"
  fi
}

# --- main ------------------------------------------------------------------------------
BASE_IMAGE=""
WORKLOAD_COUNT=0

check_host
ensure_engine
ensure_base_image
build_workloads
ensure_host_workloads

if [ ! -d node_modules ]; then
  log "hint: node_modules is missing; run 'npm ci' before 'npm test' or 'npm run scenario'"
fi

log "done in ${SECONDS}s: engine up, base image $BASE_IMAGE, $WORKLOAD_COUNT workload image(s) built"
