/** Writes jest's aggregated results as JSON to a file, beside the default console reporter. */
const fs = require('fs');

class JsonFileReporter {
  constructor(_globalConfig, options) {
    this.file = options.file;
  }
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numRuntimeErrorTestSuites, numTotalTests, success } = results;
    fs.writeFileSync(
      this.file,
      JSON.stringify({ numPassedTests, numFailedTests, numPendingTests, numRuntimeErrorTestSuites, numTotalTests, success }),
    );
  }
}
module.exports = JsonFileReporter;
