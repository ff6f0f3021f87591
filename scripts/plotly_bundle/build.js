// Bundles entry.js into one minified script with the settings of plotly.js's own dist bundles
// (its esbuild-config.js: iife, global name Plotly, es2016, global -> window) and the same
// UMD wrapper as dist/plotly.min.js, then lists the npm packages that went into it.
// Usage: node build.js <out.js> <third-party.md>   (build.sh runs it after `npm ci`)
'use strict';

const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const version = require('plotly.js/package.json').version;
const out = process.argv[2];
const notes = process.argv[3];
if(!out || !notes) {
    console.error('usage: node build.js <out.js> <third-party.md>');
    process.exit(2);
}

const banner = `/**
* plotly.js v${version} (suanli report partial bundle: core, bar, heatmap, pie, waterfall)
* Copyright 2012-2026, Plotly, Inc.
* All rights reserved.
* Licensed under the MIT license
*/
(
 function(root, factory) {
  if (typeof module === "object" && module.exports) {
   module.exports = factory();
  } else {
   root.moduleName = factory();
  }
} (typeof self !== "undefined" ? self : this, () => {`;

const footer = `
window.Plotly = Plotly;
return Plotly;
}));`;

function thirdParty(metafile) {
    const pkgs = new Map();
    const used = Object.values(metafile.outputs)[0].inputs;
    // stylesheets are loaded as empty modules (see the loader below): no code of theirs is in the bundle
    for(const f of Object.keys(used).filter((k) => used[k].bytesInOutput > 0 && !k.endsWith('.css'))) {
        const m = f.match(/^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//);
        if(!m || pkgs.has(m[2])) continue;
        const meta = JSON.parse(fs.readFileSync(path.join(__dirname, m[1], 'package.json'), 'utf8'));
        const lic = typeof meta.license === 'string' ? meta.license : (meta.license && meta.license.type) || 'see package';
        pkgs.set(m[2], `| ${m[2]} | ${meta.version} | ${lic} |`);
    }
    return [
        '# npm packages bundled into plotly-report.min.js',
        '',
        'Written by scripts/plotly_bundle/build.js from the esbuild metafile: every package with code in the',
        'bundle, its version (from package-lock.json) and the licence its package.json declares.',
        'Their copyright and licence comments are kept at the end of the bundle (esbuild `legalComments: "eof"`).',
        '',
        '| package | version | licence |',
        '|---|---|---|',
        ...[...pkgs.keys()].sort().map((k) => pkgs.get(k)),
        ''
    ].join('\n');
}

esbuild.build({
    entryPoints: [path.join(__dirname, 'entry.js')],
    outfile: out,
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    sourcemap: false,
    legalComments: 'eof',
    metafile: true,
    // The only stylesheet reachable from these modules is maplibre-gl.css, which plotly.js
    // injects when a map trace is registered; none is, so it is left out.
    loader: { '.css': 'empty' },
    define: {
        global: 'window',
        'define.amd': 'false',
        'process.env.NODE_DEBUG': 'false'
    },
    target: 'es2016',
    banner: { js: banner },
    footer: { js: footer },
    logLevel: 'info'
}).then((result) => {
    fs.writeFileSync(notes, thirdParty(result.metafile));
}).catch(() => process.exit(1));
