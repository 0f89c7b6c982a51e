/*
 * Entry of the plotly.js partial bundle that supportinsight inlines in its HTML
 * report (plotly_partial.min.js beside this file): the plotly.js core with the
 * scatter, bar, heatmap and sankey traces and the components the report's figures
 * use (annotations for subplot titles, legend, colour bars, hover). The whole
 * plotly.js bundle is 4.8 MB; this one is about 1.1 MB. Rebuild it with
 * plotly_partial.build.js (how: see there) whenever the plotly Python package
 * brings another plotly.js version; a test compares the two versions.
 */
'use strict';

exports.version = require('plotly.js/src/version').version;
require('plotly.js/build/plotcss');

var Registry = require('plotly.js/src/registry');
var register = exports.register = Registry.register;
var plotApi = require('plotly.js/src/plot_api');
Object.keys(plotApi).forEach(function(name) {
    if(name.charAt(0) !== '_') exports[name] = plotApi[name];
    register({moduleType: 'apiMethod', name: name, fn: plotApi[name]});
});

register(require('plotly.js/src/traces/scatter'));
register([
    require('plotly.js/src/components/annotations'),
    require('plotly.js/src/components/selections'),
    require('plotly.js/src/components/shapes'),
    require('plotly.js/src/components/colorscale'),
    require('plotly.js/src/components/colorbar'),
    require('plotly.js/src/components/legend'),
    require('plotly.js/src/components/fx'),
    require('plotly.js/src/components/modebar')
]);
register([require('plotly.js/src/locale-en'), require('plotly.js/src/locale-en-us')]);
register([
    require('plotly.js/src/traces/bar'),
    require('plotly.js/src/traces/heatmap'),
    require('plotly.js/src/traces/sankey')
]);

var Fx = require('plotly.js/src/components/fx');
exports.Fx = {hover: Fx.hover, unhover: Fx.unhover, loneHover: Fx.loneHover, loneUnhover: Fx.loneUnhover};
