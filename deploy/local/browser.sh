# What the pages' tests need, from Debian's packages; sourced after lib.sh: chromium and its chromedriver
# for the browser tests (e2e-tests BrowserIT), Node.js for the unit tests of the pages' modules.

browser_ensure() { apt_ensure chromium,chromedriver chromium chromium-driver; }

node_ensure() { apt_ensure node nodejs; }
