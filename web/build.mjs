// The dashboard's build: the app bundled by esbuild, the stylesheets and the NL Design
// System themes copied beside it (dist/ is served at /assets and never committed).
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";

mkdirSync("dist/themes", { recursive: true });
mkdirSync("dist/fonts", { recursive: true });
await build({
  entryPoints: ["src/main.js"], bundle: true, format: "esm", target: "es2020", minify: true,
  sourcemap: true, outfile: "dist/app.js",
});
const copies = {
  "src/styles.css": "dist/styles.css",
  "src/favicon.svg": "dist/favicon.svg",
  "src/fonts.css": "dist/fonts.css",
  // Plain HTML elements styled by NL Design System components (Utrecht, EUPL-1.2).
  "node_modules/@utrecht/component-library-css/dist/html.css": "dist/nlds-html.css",
  // The neutral theme (NL Design System's example theme, EUPL-1.2): the default.
  "node_modules/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css":
    "dist/themes/neutraal.css",
  // Central government's look: its use is limited to central government (its LICENSE.md).
  "node_modules/@rijkshuisstijl-community/design-tokens/dist/index.css":
    "dist/themes/rijkshuisstijl.css",
};
// The neutral theme's fonts (OFL-1.1), served from here: no font is fetched elsewhere.
for (const [family, weights] of [["noto-sans", [400, 700]], ["noto-serif", [700]]]) {
  for (const weight of weights) {
    const file = `${family}-latin-${weight}-normal.woff2`;
    copies[`node_modules/@fontsource/${family}/files/${file}`] = `dist/fonts/${file}`;
  }
}
// GraphiQL (development mode) and what it loads, under the paths the IDE's page names
// (package@version/file): the page keeps its integrity hashes, and these are the same bytes.
for (const file of ["react/umd/react.production.min.js",
  "react-dom/umd/react-dom.production.min.js", "js-cookie/dist/js.cookie.min.js",
  "graphiql/graphiql.min.js", "graphiql/graphiql.min.css",
  "@graphiql/plugin-explorer/dist/index.umd.js", "@graphiql/plugin-explorer/dist/style.css"]) {
  const name = file.startsWith("@") ? file.split("/").slice(0, 2).join("/") : file.split("/")[0];
  const { version } = JSON.parse(readFileSync(`node_modules/${name}/package.json`, "utf8"));
  const target = `dist/graphiql/${name}@${version}${file.slice(name.length)}`;
  mkdirSync(dirname(target), { recursive: true });
  copies[`node_modules/${file}`] = target;
}
for (const [from, to] of Object.entries(copies)) copyFileSync(from, to);
