// Prints the text pdf.js (Mozilla's viewer, in Firefox) extracts from each page of a PDF, as a JSON
// list of strings: each text item's string, a line break where pdf.js ends a line.
// Usage: node tests/tools/pdfjs_text.mjs FILE.pdf   (pdfjs-dist installed by .ci/run into .node/)
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(join(root, ".node", "package.json"));
const pdfjs = await import(pathToFileURL(require.resolve("pdfjs-dist/legacy/build/pdf.mjs")).href);

const data = new Uint8Array(await readFile(process.argv[2]));
const document = await pdfjs.getDocument({ data, verbosity: 0, isEvalSupported: false }).promise;
const pages = [];
for (let number = 1; number <= document.numPages; number++) {
  const page = await document.getPage(number);
  const content = await page.getTextContent();
  pages.push(content.items.map((item) => (item.str ?? "") + (item.hasEOL ? "\n" : "")).join(""));
}
process.stdout.write(JSON.stringify(pages));
