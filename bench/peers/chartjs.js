// Chart.js 4 on @napi-rs/canvas (skia): the way QuickChart-style services render charts.
//
//   node chartjs.js FONT_DIR            serve: one JSON request a line on stdin, one reply a line
//   node chartjs.js FONT_DIR --once     draw the request on stdin once, print "done" (cold start)
//
// A request is {"config": <Chart.js config>, "width": W, "height": H, "n": N, "save": path|null};
// the reply gives each of the N charts' CPU time (process.cpuUsage, user + system, every thread
// of this process) and wall time in ms, and the PNG's size. DejaVu Sans (regular and bold) is
// registered from FONT_DIR (matplotlib's fonts), so every side draws the same glyphs.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const readline = require("node:readline");
const { createCanvas, GlobalFonts } = require("@napi-rs/canvas");
const { Chart } = require("chart.js/auto");

const [fontDir, mode] = process.argv.slice(2);
for (const file of ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"]) {
  if (!GlobalFonts.registerFromPath(path.join(fontDir, file), "DejaVu Sans")) {
    throw new Error(`cannot load ${file} from ${fontDir}`);
  }
}
Chart.defaults.font.family = "DejaVu Sans";

// Chart.js leaves the canvas transparent; the other renderers draw on white.
const whiteBackground = {
  id: "whiteBackground",
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

function renderPng(config, width, height) {
  const canvas = createCanvas(width, height);
  const chart = new Chart(canvas.getContext("2d"), {
    ...config,
    // No DOM under node: no animation frames, no resize observer, one pixel per CSS pixel.
    options: { ...config.options, animation: false, responsive: false, devicePixelRatio: 1 },
    plugins: [whiteBackground],
  });
  const png = canvas.toBuffer("image/png");
  chart.destroy();
  return png;
}

function serve(request) {
  const cpuMs = [];
  const wallMs = [];
  let png = null;
  for (let i = 0; i < request.n; i++) {
    const cpu = process.cpuUsage();
    const wall = process.hrtime.bigint();
    png = renderPng(request.config, request.width, request.height);
    const used = process.cpuUsage(cpu);
    wallMs.push(Number(process.hrtime.bigint() - wall) / 1e6);
    cpuMs.push((used.user + used.system) / 1000);
  }
  if (request.save && png) fs.writeFileSync(request.save, png);
  return { cpu_ms: cpuMs, wall_ms: wallMs, bytes: png ? png.length : 0 };
}

const lines = readline.createInterface({ input: process.stdin });
if (mode === "--once") {
  lines.once("line", (line) => {
    const request = JSON.parse(line);
    renderPng(request.config, request.width, request.height);
    process.stdout.write("done\n");
    lines.close();
  });
} else {
  const canvasVersion = JSON.parse(
    fs.readFileSync(require.resolve("@napi-rs/canvas/package.json"), "utf8"),
  ).version;
  process.stdout.write(JSON.stringify({ ready: true, versions: { "chart.js": Chart.version, "@napi-rs/canvas": canvasVersion } }) + "\n");
  lines.on("line", (line) => {
    let reply;
    try {
      reply = serve(JSON.parse(line));
    } catch (error) {
      reply = { error: String(error && error.stack ? error.stack : error) };
    }
    process.stdout.write(JSON.stringify(reply) + "\n");
  });
}
