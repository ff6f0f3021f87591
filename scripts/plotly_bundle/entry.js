'use strict';

// plotly.js core (scatter, legend, annotations, shapes, hover, category/log axes, subplots)
// plus the other trace types the suanli report and capacity page draw.
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/heatmap'),
    require('plotly.js/lib/pie'),
    require('plotly.js/lib/waterfall')
]);

module.exports = Plotly;
