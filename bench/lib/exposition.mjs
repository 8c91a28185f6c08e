/** Sample lines of an exposition page: every line that is not blank and not a comment. */
export function sampleLines(page) {
  return page.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

/** Samples of the HTTP families (http_*), the ones hostile traffic must not multiply. */
export function httpSeriesCount(page) {
  return sampleLines(page).filter((line) => line.startsWith('http_')).length;
}
