// Package ui tests the web dashboard (/ui/) in a real headless Chromium
// (Debian's chromium, driven with chromedp) against a real router in
// front of the simulated providers. Without Chromium the tests skip,
// saying so, except under CI (the CI variable set), where they fail.
package ui
