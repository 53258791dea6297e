/** `npm run test:tools`: the real tools on the rendered artifacts (see jest.config.js). */
const config = require("./jest.config");

module.exports = { ...config, testMatch: ["**/*.tools.test.ts"], testPathIgnorePatterns: ["/node_modules/"] };
