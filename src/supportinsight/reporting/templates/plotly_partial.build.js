/*
 * Builds plotly_partial.min.js from plotly_partial.entry.js (both beside this file).
 *
 *   mkdir /tmp/plotly-build && cd /tmp/plotly-build
 *   npm install plotly.js@4.1.1 esbuild@0.28.2     # plotly.js: the version plotly.py ships
 *   node <repo>/src/supportinsight/reporting/templates/plotly_partial.build.js
 *
 * Attribute descriptions (the documentation in plotly's schema, never shown in a
 * report) are left out, as plotly's own builds once did; the licence comments of
 * the bundled packages are kept at the end of the file.
 */
'use strict';

var fs = require('fs');
var path = require('path');
var modules = path.join(process.cwd(), 'node_modules');
var esbuild = require(path.join(modules, 'esbuild'));
var version = require(path.join(modules, 'plotly.js', 'package.json')).version;
var esbuildVersion = require(path.join(modules, 'esbuild', 'package.json')).version;

var STRING = "'(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\"";
var DESCRIPTION = new RegExp('description\\s*:\\s*(?:' + STRING + '|\\[(?:\\s*(?:' + STRING +
    ')\\s*,?)*\\s*\\]\\s*\\.\\s*join\\(\\s*(?:' + STRING + ')\\s*\\))', 'g');

var stripDescriptions = {
    name: 'strip-descriptions',
    setup: function(build) {
        build.onLoad({filter: /plotly\.js[\\/]src[\\/].*\.js$/}, function(args) {
            var source = fs.readFileSync(args.path, 'utf8');
            return {contents: source.replace(DESCRIPTION, "description:''"), loader: 'js'};
        });
    }
};

esbuild.build({
    entryPoints: [path.join(__dirname, 'plotly_partial.entry.js')],
    outfile: path.join(__dirname, 'plotly_partial.min.js'),
    nodePaths: [modules],
    bundle: true,
    minify: true,
    format: 'iife',
    globalName: 'Plotly',
    target: 'es2016',
    legalComments: 'eof',
    loader: {'.css': 'empty'},
    define: {global: 'window', 'define.amd': 'false'},
    banner: {js: '/*! plotly.js ' + version + ' (MIT License, Copyright (c) Plotly, Inc.): partial bundle for ' +
        'supportinsight reports (scatter, bar, heatmap, sankey), built with esbuild ' + esbuildVersion +
        ' by plotly_partial.build.js */'},
    plugins: [stripDescriptions],
    logLevel: 'warning'
}).then(function() {
    var size = fs.statSync(path.join(__dirname, 'plotly_partial.min.js')).size;
    console.log('plotly_partial.min.js: plotly.js ' + version + ', ' + size + ' bytes');
});
