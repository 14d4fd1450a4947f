/* hepkit companion: runs today's session of a home exercise routine, offline.
 *
 * Everything this script knows comes from the JSON block written by hepkit
 * (toolkit/exports/companion.py): the routine, the CSV columns, the warning-sign patterns and
 * every sentence shown to the patient (DATA.messages; a translation swaps that file only).
 * Routine text is only ever put into the page with textContent, never as markup.
 *
 * History is kept in localStorage under DATA.storage_key. "Send to my clinic" turns the whole
 * history into one CSV in hepkit's log columns and hands it to the share sheet, or downloads it.
 * The page makes no network request of any kind.
 */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("companion-data").textContent);
  var MSG = DATA.messages;
  var ITEMS = DATA.items;
  var WARNING_WORDS = DATA.red_flags.patterns.map(function (source) {
    return new RegExp(source, DATA.red_flags.flags);
  });
  var TICK_MS = 200;

  // ---- small helpers ---------------------------------------------------------------------

  /** A message with {name} placeholders filled in. */
  function t(key, values) {
    var text = MSG[key];
    if (typeof text !== "string") throw new Error("no message " + key);
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return values && name in values ? String(values[name]) : whole;
    });
  }

  /** Make an element: el("p", {className: "x"}, "text", child, ...). Text stays text. */
  function el(tag, props) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      if (key === "onclick") node.addEventListener("click", props[key]);
      else if (key.indexOf("data-") === 0 || key.indexOf("aria-") === 0 || key === "role")
        node.setAttribute(key, props[key]);
      else node[key] = props[key];
    });
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function button(label, onclick, className, name) {
    var props = { type: "button", className: className || "", onclick: onclick };
    if (name) props["data-action"] = name;
    return el("button", props, label);
  }

  function list(tag, texts) {
    return el.apply(null, [tag, {}].concat(texts.map(function (text) { return el("li", {}, text); })));
  }

  function pad(number) { return (number < 10 ? "0" : "") + number; }

  /** Local date as YYYY-MM-DD. */
  function isoDay(date) {
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
  }

  /** Local time with the device's UTC offset, ISO 8601: 2026-12-01T09:30:05+01:00. */
  function isoLocal(ms) {
    var date = new Date(ms);
    var offset = -date.getTimezoneOffset();
    var sign = offset >= 0 ? "+" : "-";
    offset = Math.abs(offset);
    return isoDay(date) + "T" + pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" +
      pad(date.getSeconds()) + sign + pad(Math.floor(offset / 60)) + ":" + pad(offset % 60);
  }

  function announce(text) { document.getElementById("announce").textContent = text; }

  // ---- history on the device ---------------------------------------------------------------

  var memory = { sessions: [], patient: "" };
  var storageWorks = true;

  function loadHistory() {
    try {
      var text = window.localStorage.getItem(DATA.storage_key);
      if (text) memory = JSON.parse(text);
    } catch (error) {
      storageWorks = false;
    }
    memory.sessions = memory.sessions || [];
    memory.sound = memory.sound !== false;
  }

  function saveHistory() {
    try {
      window.localStorage.setItem(DATA.storage_key, JSON.stringify(memory));
    } catch (error) {
      storageWorks = false;
    }
  }

  /** Local days (YYYY-MM-DD) with at least one exercise done to the end. */
  function daysDone() {
    var days = {};
    memory.sessions.forEach(function (session) {
      if (session.entries.some(function (entry) { return entry.completed; }))
        days[isoDay(new Date(session.started))] = true;
    });
    return days;
  }

  // ---- the session being done --------------------------------------------------------------

  var state = { screen: "home", index: 0, session: null };
  var timer = null; // {endsAt, onTick, onDone}: one running countdown at a time

  /** Progress of one side of one exercise: full sets done and the count of the current set. */
  function newProgress(item) {
    return item.sides.map(function (side) {
      return { side: side, sets: 0, count: 0, finishedAt: null };
    });
  }

  function startSession() {
    state.session = {
      started: Date.now(),
      pain_before: null,
      pain_after: null,
      note: "",
      stop_reason: null,
      progress: ITEMS.map(newProgress),
      resting: false,
    };
    state.index = 0;
    show("pain-before");
  }

  /** The side now being worked on for item i (the first side not finished), or null. */
  function currentSide(i) {
    var item = ITEMS[i];
    var sides = state.session.progress[i];
    for (var k = 0; k < sides.length; k++) if (sides[k].sets < item.sets) return sides[k];
    return null;
  }

  /** One rep, hold, breath or timed set is done on the current side. */
  function countOne(i, seconds) {
    var item = ITEMS[i];
    var side = currentSide(i);
    if (!side) return;
    side.finishedAt = Date.now();
    if (item.kind === "timed") {
      side.count = seconds;
      side.sets += 1;
      side.count = 0;
    } else {
      side.count += 1;
      if (side.count >= item.reps) {
        side.sets += 1;
        side.count = 0;
      } else return;
    }
    // a set has just ended: rest before the next set of the same side
    var next = currentSide(i);
    if (next === side && item.rest_s > 0) startRest(i);
  }

  /** The patient did the whole dose without the counter. */
  function markAllDone(i) {
    stopTimer();
    state.session.progress[i].forEach(function (side) {
      side.sets = ITEMS[i].sets;
      side.count = 0;
      side.finishedAt = Date.now();
    });
    state.session.resting = false;
    render();
  }

  function exerciseDone(i) { return currentSide(i) === null; }

  /** Log entries (one per side with anything done) of the session, in order. */
  function entriesOf(session) {
    var entries = [];
    session.progress.forEach(function (sides, i) {
      var item = ITEMS[i];
      sides.forEach(function (side) {
        var partial = side.count > 0 ? side.count : 0;
        if (side.sets === 0 && partial === 0) return; // nothing done: no row
        // Full sets are logged at the prescribed count; a first set left unfinished logs
        // what was counted. A row is completed only when the whole dose of its side is done.
        var sets = side.sets > 0 ? side.sets : 1;
        var perSet = side.sets > 0 ? (item.kind === "timed" ? item.duration_s : item.reps) : partial;
        entries.push({
          index: i,
          exercise_id: item.exercise_id,
          side: side.side,
          sets_done: sets,
          reps_done: item.kind === "timed" ? null : perSet,
          duration_s: item.kind === "timed" ? perSet : null,
          completed: side.sets >= item.sets,
          at: side.finishedAt || session.started,
        });
      });
    });
    return entries;
  }

  /** Store the finished session in the history; return whether it needs the safety notice. */
  function finishSession() {
    stopTimer();
    var session = state.session;
    var note = session.note.trim();
    if (session.stop_reason) note = (t("stopped_note", { reason: session.stop_reason }) + " " + note).trim();
    var record = {
      started: session.started,
      ended: Date.now(),
      pain_before: session.pain_before,
      pain_after: session.pain_after,
      note: note,
      stopped: !!session.stop_reason,
      entries: entriesOf(session),
    };
    memory.sessions.push(record);
    saveHistory();
    return record;
  }

  /** Why the safety notice is shown for a saved session: a list of message keys. */
  function warningsFor(record) {
    var reasons = [];
    if (record.pain_before !== null && record.pain_after !== null &&
        record.pain_after >= record.pain_before + DATA.pain_rise_warning) reasons.push("warning_pain");
    if (record.note && WARNING_WORDS.some(function (re) { return re.test(record.note); }))
      reasons.push("warning_words");
    return reasons;
  }

  // ---- timers: holds, rests, breathing, timed sets -----------------------------------------

  var audio = null;

  function signal() {
    if (memory.sound) {
      try {
        var Context = window.AudioContext || window.webkitAudioContext;
        if (Context) {
          audio = audio || new Context();
          var tone = audio.createOscillator();
          var volume = audio.createGain();
          tone.frequency.value = 880;
          volume.gain.value = 0.2;
          tone.connect(volume);
          volume.connect(audio.destination);
          tone.start();
          tone.stop(audio.currentTime + 0.25);
        }
      } catch (error) { /* no sound on this device */ }
    }
    if (navigator.vibrate) {
      try { navigator.vibrate(200); } catch (error) { /* no vibration */ }
    }
  }

  function startTimer(seconds, onTick, onDone) {
    stopTimer();
    timer = { endsAt: Date.now() + seconds * 1000, total: seconds, onTick: onTick, onDone: onDone };
    timer.interval = window.setInterval(tick, TICK_MS);
    tick();
  }

  function stopTimer() {
    if (timer) window.clearInterval(timer.interval);
    timer = null;
  }

  function tick() {
    if (!timer) return;
    var left = Math.max(0, (timer.endsAt - Date.now()) / 1000);
    timer.onTick(Math.ceil(left - 1e-9), left / timer.total);
    if (left <= 0) {
      var done = timer.onDone;
      stopTimer();
      done();
    }
  }

  function startRest(i) {
    state.session.resting = true;
    render();
    startTimer(ITEMS[i].rest_s, updateClock, function () {
      state.session.resting = false;
      signal();
      render();
    });
  }

  /** Draw the countdown ring: seconds left and the fraction of time left. */
  function updateClock(secondsLeft, fraction) {
    var clock = document.getElementById("clock");
    if (!clock) return;
    clock.style.setProperty("--left", fraction.toFixed(3));
    clock.querySelector("b").textContent = String(secondsLeft);
    clock.setAttribute("aria-label", t("seconds_left", { s: secondsLeft }));
  }

  function clockElement(seconds, label) {
    return el("div", { id: "clock", className: "clock", role: "timer", "aria-label": t("seconds_left", { s: seconds }) },
      el("span", {}, el("b", {}, String(seconds)), el("small", {}, label)));
  }

  /** The breathing pacer: in for BREATH_IN_S, out for BREATH_OUT_S; one breath counted each time. */
  function runPacer(i) {
    var pacer = document.getElementById("pacer");
    function breatheIn() {
      var ring = document.getElementById("pacer");
      if (!ring) return;
      ring.style.transitionDuration = DATA.pacer.in_s + "s";
      ring.className = "pacer in";
      ring.textContent = t("breath_in");
      startTimer(DATA.pacer.in_s, function () {}, breatheOut);
    }
    function breatheOut() {
      var ring = document.getElementById("pacer");
      if (!ring) return;
      ring.style.transitionDuration = DATA.pacer.out_s + "s";
      ring.className = "pacer";
      ring.textContent = t("breath_out");
      startTimer(DATA.pacer.out_s, function () {}, function () {
        countOne(i);
        var side = currentSide(i);
        if (!side || state.session.resting || side.count === 0) { signal(); render(); return; }
        var counter = document.getElementById("breath-count");
        if (counter) counter.textContent = t("breath_count", { n: side.count + 1, total: ITEMS[i].reps });
        breatheIn();
      });
    }
    if (pacer) breatheIn();
  }

  // ---- screens -----------------------------------------------------------------------------

  var app = document.getElementById("app");

  function show(screen) {
    stopTimer();
    state.screen = screen;
    render();
    var heading = app.querySelector("h1");
    if (heading) { heading.tabIndex = -1; heading.focus(); }
    window.scrollTo(0, 0);
  }

  function render() {
    var builders = {
      home: homeScreen, "pain-before": painBeforeScreen, exercise: exerciseScreen,
      stop: stopScreen, "pain-after": painAfterScreen, result: resultScreen, send: sendScreen,
    };
    var content = builders[state.screen]().filter(function (part) { return part; });
    app.replaceChildren.apply(app, content);
  }

  function nav(back, next) {
    return el("div", { className: "nav" }, el("div", { className: "nav-inner" }, back, next));
  }

  function clinicBlock() {
    var clinic = DATA.clinic;
    return el("section", { "aria-labelledby": "clinic-heading" },
      el("h2", { id: "clinic-heading" }, t("clinic_heading")),
      el("p", {}, clinic.name),
      clinic.phone ? el("a", { className: "button", href: "tel:" + clinic.phone.replace(/[^0-9+]/g, "") },
        t("call_clinic", { phone: clinic.phone })) : null,
      clinic.email ? el("p", {}, clinic.email) : null);
  }

  function homeScreen() {
    var today = isoDay(new Date());
    var done = daysDone();
    var notStarted = DATA.start && today < DATA.start;
    return [
      el("h1", {}, DATA.routine.title),
      el("p", {}, DATA.routine.introduction),
      el("h2", {}, t("schedule_heading")),
      el("p", {}, DATA.routine.schedule_words),
      notStarted ? el("p", {}, t("programme_starts", { date: DATA.start })) : null,
      el("p", { className: done[today] ? "done-banner" : "" }, done[today] ? t("today_done") : t("today_not_done")),
      button(done[today] ? t("start_again") : t("start_session"), startSession, "primary", "start"),
      calendar(done),
      el("p", {}, t("sessions_saved", { n: memory.sessions.length })),
      storageWorks ? null : el("p", { className: "warning" }, t("no_storage")),
      button(t("send_button"), function () { show("send"); }, "", "open-send"),
      el("label", { className: "check" },
        el("input", { type: "checkbox", checked: memory.sound, onclick: function (event) {
          memory.sound = event.target.checked; saveHistory();
        } }), t("sound_label")),
      el("h2", {}, t("safety_heading")),
      el("p", {}, DATA.routine.safety_notice),
      clinicBlock(),
    ];
  }

  /** The last four weeks (Monday to Sunday), days with a session marked, and this week's count. */
  function calendar(done) {
    var now = new Date();
    var first = new Date(now.getFullYear(), now.getMonth(), now.getDate() - ((now.getDay() + 6) % 7) - 21);
    var head = el("tr", {});
    MSG.weekdays.forEach(function (name) { head.appendChild(el("th", { scope: "col" }, name)); });
    var body = el("tbody", {});
    var daysThisWeek = 0; // days of this week on or after the start
    for (var week = 0; week < 4; week++) {
      var row = el("tr", {});
      for (var d = 0; d < 7; d++) {
        var day = new Date(first.getFullYear(), first.getMonth(), first.getDate() + week * 7 + d);
        var key = isoDay(day);
        var before = DATA.start && key < DATA.start;
        var label = key + ": " + (done[key] ? t("calendar_done") : t("calendar_not_done"));
        var cls = (done[key] ? "done" : before ? "before" : "") + (key === isoDay(now) ? " today" : "");
        row.appendChild(el("td", { className: cls },
          el("span", { "aria-label": label, role: "img" }, done[key] ? "\u2713" : String(day.getDate()))));
        if (week === 3 && !before) daysThisWeek += 1;
      }
      body.appendChild(row);
    }
    var monday = isoDay(new Date(first.getFullYear(), first.getMonth(), first.getDate() + 21));
    var doneThisWeek = memory.sessions.filter(function (session) {
      return isoDay(new Date(session.started)) >= monday &&
        session.entries.some(function (entry) { return entry.completed; });
    }).length;
    var planned = Math.round(daysThisWeek * DATA.routine.sessions_per_day * DATA.routine.days_per_week / 7);
    return el("section", { "aria-labelledby": "calendar-heading" },
      el("h2", { id: "calendar-heading" }, t("calendar_heading")),
      el("table", { className: "calendar" }, el("thead", {}, head), body),
      // Before the programme's first week there is nothing to count yet.
      planned > 0 ? el("p", {}, t("week_count", { done: doneThisWeek, planned: planned })) : null);
  }

  /** 0-10 buttons, each with the words of the scale; choose(value) is called on a tap. */
  function painScale(chosen, choose) {
    var scale = el("ul", { className: "scale", role: "list" });
    MSG.pain_words.forEach(function (word, value) {
      scale.appendChild(el("li", {}, el("button", {
        type: "button", "aria-pressed": chosen === value ? "true" : "false", "data-pain": String(value),
        onclick: function () { choose(value); render(); announce(t("pain_chosen", { n: value, word: word })); },
      }, el("span", { className: "number" }, String(value)), el("span", {}, word))));
    });
    return scale;
  }

  function painBeforeScreen() {
    var session = state.session;
    return [
      el("h1", {}, t("pain_before_heading")),
      el("p", {}, t("pain_hint")),
      painScale(session.pain_before, function (value) { session.pain_before = value; }),
      nav(button(t("back"), function () { state.session = null; show("home"); }, "", "back"),
        button(session.pain_before === null ? t("skip") : t("next"), function () { show("exercise"); }, "primary", "next")),
    ];
  }

  function exerciseScreen() {
    var i = state.index;
    var item = ITEMS[i];
    var last = i === ITEMS.length - 1;
    var parts = [
      el("p", { className: "progress" }, t("exercise_of", { n: i + 1, total: ITEMS.length })),
      el("h1", {}, item.name),
      item.picture ? el("img", { className: "picture", src: item.picture.src, alt: item.picture.alt }) : null,
      el("p", { className: "dose" }, el("span", { className: "sr-only" }, t("how_much") + ": "), item.dose_words),
      item.note ? el("p", { className: "note" }, el("strong", {}, t("note_from_therapist") + ": "), item.note) : null,
      tracker(i),
      el("h2", {}, t("get_ready")),
      el("p", {}, item.start),
      el("h2", {}, t("steps")),
      list("ol", item.steps),
      item.breathing ? el("h2", {}, t("breathing")) : null,
      item.breathing ? el("p", {}, item.breathing) : null,
      item.cues.length ? el("h2", {}, t("tips")) : null,
      item.cues.length ? list("ul", item.cues) : null,
      el("h2", {}, t("stop_if")),
      list("ul", item.stop_if),
      button(t("stopped_early"), function () { show("stop"); }, "", "stopped-early"),
      nav(
        button(t("back"), function () {
          if (i === 0) show("pain-before"); else { state.index -= 1; state.session.resting = false; show("exercise"); }
        }, "", "back"),
        button(last ? t("to_pain_after") : t("next"), function () {
          state.session.resting = false;
          if (last) show("pain-after"); else { state.index += 1; show("exercise"); }
        }, "primary", "next")),
    ];
    return parts;
  }

  /** The counting panel of item i: what to do now on which side, set and count. */
  function tracker(i) {
    var item = ITEMS[i];
    var side = currentSide(i);
    var box = el("section", { className: "tracker", "aria-label": item.name });
    if (!side) {
      box.appendChild(el("p", { className: "done-banner", role: "status" }, t("exercise_done")));
      return box;
    }
    if (side.side !== "both") {
      var sideWord = side.side === "left" ? t("side_left") : t("side_right");
      box.appendChild(el("p", { className: "tracker-status" }, item.sides.length > 1 ? t("side_now", { side: sideWord.toLowerCase() }) : sideWord));
    }
    if (item.sets > 1) box.appendChild(el("p", { className: "tracker-status" }, t("set_of", { n: side.sets + 1, total: item.sets })));
    if (state.session.resting) {
      box.appendChild(el("h2", {}, t("rest_heading")));
      box.appendChild(clockElement(item.rest_s, t("rest_heading")));
      box.appendChild(button(t("skip_rest"), function () {
        stopTimer(); state.session.resting = false; render();
      }, "", "skip-rest"));
      return box;
    }
    if (item.kind === "reps") {
      box.appendChild(el("p", { className: "big-count", id: "rep-count" }, t("rep_count", { done: side.count, total: item.reps })));
      box.appendChild(button(t("rep_button"), function () { countOne(i); render(); focusAction(); }, "primary", "rep"));
    } else if (item.kind === "holds") {
      if (timer) {
        box.appendChild(clockElement(item.hold_s, t("hold_running")));
        box.appendChild(button(t("stop_timer"), function () { stopTimer(); render(); }, "", "stop-timer"));
      } else {
        if (side.count > 0) box.appendChild(el("p", {}, t("hold_relax")));
        box.appendChild(button(t("hold_start", { n: side.count + 1, total: item.reps }), function () {
          startTimer(item.hold_s, updateClock, function () { countOne(i); signal(); render(); focusAction(); });
          render();
        }, "primary", "hold"));
      }
    } else if (item.kind === "breaths") {
      box.appendChild(el("p", { className: "big-count", id: "breath-count" }, t("breath_count", { n: side.count + 1, total: item.reps })));
      if (timer) {
        box.appendChild(el("div", { id: "pacer", className: "pacer", "aria-hidden": "true" }));
        box.appendChild(button(t("stop_timer"), function () { stopTimer(); render(); }, "", "stop-timer"));
        window.setTimeout(function () { runPacer(i); }, 0);
      } else {
        box.appendChild(button(t("breath_start"), function () {
          timer = { interval: null }; render(); // the pacer starts right after drawing
        }, "primary", "breathe"));
      }
    } else { // timed
      if (timer) {
        box.appendChild(clockElement(item.duration_s, ""));
        box.appendChild(button(t("stop_timer"), function () { stopTimer(); render(); }, "", "stop-timer"));
      } else {
        box.appendChild(button(t("timer_start"), function () {
          startTimer(item.duration_s, updateClock, function () { countOne(i, item.duration_s); signal(); render(); focusAction(); });
          render();
        }, "primary", "timer"));
      }
    }
    // not while a timer runs: a shaky tap next to "Stop the timer" must not end the exercise
    if (!timer) box.appendChild(button(t("did_without_timer"), function () { markAllDone(i); }, "", "did-all"));
    return box;
  }

  /** After a tap re-draws the screen, keep focus on the tracker's main button. */
  function focusAction() {
    var next = app.querySelector(".tracker button.primary") || app.querySelector(".tracker [role=status]") ||
      app.querySelector(".tracker button");
    if (next) { if (!next.matches("button")) next.tabIndex = -1; next.focus(); }
  }

  function stopScreen() {
    var session = state.session;
    var group = el("fieldset", { className: "reasons" }, el("legend", {}, t("stop_heading")));
    MSG.stop_reasons.forEach(function (reason, k) {
      group.appendChild(el("label", { className: "check" },
        el("input", { type: "radio", name: "reason", value: reason, checked: session.stop_reason === reason,
          onclick: function () { session.stop_reason = reason; } }), reason));
    });
    return [
      el("h1", {}, t("stop_heading")),
      group,
      button(t("stop_confirm"), function () {
        session.stop_reason = session.stop_reason || MSG.stop_reasons[MSG.stop_reasons.length - 1];
        show("pain-after");
      }, "primary", "stop-confirm"),
      button(t("keep_going"), function () { session.stop_reason = null; show("exercise"); }, "", "keep-going"),
    ];
  }

  function painAfterScreen() {
    var session = state.session;
    var note = el("textarea", { id: "note", value: session.note, oninput: null });
    note.addEventListener("input", function () { session.note = note.value; });
    return [
      el("h1", {}, t("pain_after_heading")),
      el("p", {}, t("pain_hint")),
      painScale(session.pain_after, function (value) { session.pain_after = value; }),
      el("label", { htmlFor: "note" }, t("note_label")),
      note,
      nav(button(t("back"), function () { show(session.stop_reason ? "stop" : "exercise"); }, "", "back"),
        button(t("save_session"), function () { state.saved = finishSession(); state.session = null; show("result"); }, "primary", "save")),
    ];
  }

  function resultScreen() {
    var record = state.saved;
    var reasons = warningsFor(record);
    return [
      el("h1", {}, t("saved_heading")),
      el("p", {}, t("saved_text")),
      reasons.length ? el("section", { className: "warning", role: "alert" },
        el("h2", {}, t("warning_heading")),
        el.apply(null, ["div", {}].concat(reasons.map(function (key) {
          return el("p", {}, t(key, { before: record.pain_before, after: record.pain_after }));
        }))),
        el("p", {}, DATA.routine.safety_notice),
        el("p", {}, el("strong", {}, t("warning_call"))),
        clinicBlock()) : null,
      button(t("send_button"), function () { show("send"); }, "primary", "open-send"),
      button(t("home"), function () { show("home"); }, "", "home"),
    ];
  }

  // ---- sending the log ---------------------------------------------------------------------

  function csvCell(value) {
    if (value === null || value === undefined) return "";
    var text = String(value);
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  /** The whole history as CSV rows in hepkit's canonical columns (DATA.columns). */
  function historyCsv(patient) {
    var lines = [DATA.columns.join(",")];
    memory.sessions.forEach(function (session) {
      var stamp = "s" + session.started;
      var rows = session.entries.map(function (entry) {
        return {
          exercise_id: entry.exercise_id, completed: entry.completed ? "true" : "false",
          sets_done: entry.sets_done, reps_done: entry.reps_done, duration_s: entry.duration_s,
          side: entry.side, timestamp: isoLocal(entry.at),
          entry_id: DATA.routine.id + "-" + stamp + "-" + (entry.index + 1) + "-" + entry.side,
        };
      });
      if (!rows.length) // stopped before any exercise: one session row, not completed
        rows.push({ completed: "false", timestamp: isoLocal(session.started), entry_id: DATA.routine.id + "-" + stamp });
      rows.forEach(function (row, k) {
        row.patient_id = patient;
        row.pain_before = session.pain_before;
        row.pain_after = session.pain_after;
        row.notes = k === 0 ? session.note : "";
        lines.push(DATA.columns.map(function (column) { return csvCell(row[column]); }).join(","));
      });
    });
    return lines.join("\r\n") + "\r\n";
  }

  function fileName(patient) {
    var safe = function (text) { return String(text).replace(/[^A-Za-z0-9_-]+/g, "-"); };
    return "hepkit-log_" + safe(DATA.routine.id) + "_" + safe(patient) + "_" + isoDay(new Date()) + ".csv";
  }

  function download(file) {
    var url = URL.createObjectURL(file);
    var link = el("a", { href: url, download: file.name });
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  /** Share the file where the browser has a share sheet for files, else download it. */
  function send(patient, status) {
    var file = new File([historyCsv(patient)], fileName(patient), { type: "text/csv" });
    if (navigator.canShare && navigator.share && navigator.canShare({ files: [file] })) {
      navigator.share({ files: [file], title: file.name }).then(function () {
        status.textContent = t("send_shared");
      }, function (error) {
        if (error && error.name === "AbortError") return; // the patient closed the share sheet
        download(file);
        status.textContent = t("send_done", { file: file.name });
      });
      return;
    }
    download(file);
    status.textContent = t("send_done", { file: file.name });
  }

  function sendScreen() {
    var status = el("p", { role: "status", id: "send-status" });
    var code = null;
    if (!DATA.patient_id) {
      code = el("input", { type: "text", id: "patient", value: memory.patient || "", autocomplete: "off" });
      code.addEventListener("input", function () { memory.patient = code.value.trim(); saveHistory(); });
    }
    return [
      el("h1", {}, t("send_heading")),
      el("p", {}, t("send_text")),
      code ? el("label", { htmlFor: "patient" }, t("patient_label")) : null,
      code,
      button(t("send_button"), function () {
        var patient = DATA.patient_id || memory.patient;
        if (!memory.sessions.length) { status.textContent = t("send_nothing"); return; }
        if (!patient) { status.textContent = t("patient_missing"); code.focus(); return; }
        send(patient, status);
      }, "primary", "send"),
      status,
      el("p", {}, t("sessions_saved", { n: memory.sessions.length })),
      button(t("home"), function () { show("home"); }, "", "home"),
    ];
  }

  loadHistory();
  document.title = MSG.page_title + ": " + DATA.routine.title;
  render();
})();
