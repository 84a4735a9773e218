# Debian's chromium and its chromedriver, for the browser tests (e2e-tests BrowserIT); sourced after lib.sh.

browser_ensure() {
  command -v chromium >/dev/null && command -v chromedriver >/dev/null && return
  [[ $(id -u) -eq 0 ]] || die "chromium or chromedriver is missing; run as root or install Debian's 'chromium' and 'chromium-driver' packages"
  log "installing Debian's chromium and chromium-driver packages"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
}
