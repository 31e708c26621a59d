// Validates an OpenAPI document with @seriousme/openapi-schema-validator (the official JSON
// schemas of OpenAPI 3.0/3.1) and resolves every $ref.
//   node openapi_check.mjs FILE        exit 0 valid, 1 invalid (errors printed)
import { readFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";

const file = process.argv[2];
const document = JSON.parse(readFileSync(file, "utf8"));
const validator = new Validator();
const result = await validator.validate(document);
if (!result.valid) {
  console.error(`${file}: not a valid OpenAPI document`);
  console.error(JSON.stringify(result.errors, null, 1));
  process.exit(1);
}
// Every $ref must resolve.
validator.resolveRefs();
console.log(`${file}: valid OpenAPI ${validator.version}`);
