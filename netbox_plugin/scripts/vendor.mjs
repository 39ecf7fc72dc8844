// Copy the browser libraries from node_modules/ into the plugin's static files (run: npm ci && npm run vendor).
// The copies are committed, so that `pip install` and the pages work offline; MANIFEST.json records the
// version and a SHA-256 per file, which the plugin's tests compare with package-lock.json and the files.
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const here = new URL("..", import.meta.url).pathname;
const vendor = join(here, "netbox_metronet", "static", "netbox_metronet", "vendor");
const libraries = {
  leaflet: ["dist/leaflet.js", "dist/leaflet.css", "dist/images", "LICENSE"],
};

function files(path) {
  return statSync(path).isDirectory() ? readdirSync(path).sort().flatMap((name) => files(join(path, name))) : [path];
}

for (const [name, paths] of Object.entries(libraries)) {
  const source = join(here, "node_modules", name);
  const target = join(vendor, name);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  for (const path of paths) {
    const to = join(target, path.replace(/^dist\//, ""));
    cpSync(join(source, path), to, { recursive: true });
  }
  const version = JSON.parse(readFileSync(join(source, "package.json"), "utf8")).version;
  const sha256 = {};
  for (const file of files(target)) {
    sha256[relative(target, file)] = createHash("sha256").update(readFileSync(file)).digest("hex");
  }
  writeFileSync(join(target, "MANIFEST.json"), JSON.stringify({ name, version, sha256 }, null, 2) + "\n");
  console.log(`${name} ${version}: ${Object.keys(sha256).length} files → ${relative(here, target)}`);
}
