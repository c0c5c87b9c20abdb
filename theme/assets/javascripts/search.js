/*
 * What readers type, as the site's search index expects it.
 *
 * Material's search sends each query to its web worker, where every word
 * gets a wildcard ("harbour*") and so never goes through lunr's language
 * pipeline: nothing of lunr.ar's normalising reaches what readers type. So,
 * before the worker sees a query, this script
 * - reduces each Arabic-script word to the key the build indexed for it
 *   (generator/search.py, arabic_key, by the same rules): no diacritics
 *   or tatweel, one alef, yeh for alef maqsura, ha for ta marbuta, no article,
 *   no plural or feminine endings;
 * - looks for each plain word also as a whole word, weighing EXACT times more
 *   than the words that merely start with it: "Norway" finds the page of Norway
 *   before those of things Norwegian.
 * The theme loads it in every page's head, before Material's bundle (see
 * theme/overrides/main.html). Without it (no JavaScript, or pages opened as
 * files) search still finds words as they are written.
 */
(() => {
  const WORD = /[\u0621-\u065f\u0670-\u06d3\u06d5]+/g
  const MARKS = /[\u0640\u064b-\u065f\u0670]/g
  const LETTERS = { "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ة": "ه", "ک": "ك" }
  const VARIANTS = /[أإآٱىیةک]/g
  const ARTICLE = /^(?:[وفبك]?ال|لل)(?=..)/
  const ENDING = /(?:ون|ين|ات|ان|ه|ي|ا)$/

  function key(word) {
    let key = word.replace(MARKS, "").replace(VARIANTS, letter => LETTERS[letter])
    key = key.replace(ARTICLE, "")
    for (let ending; (ending = ENDING.exec(key)) && ending.index >= 3;)
      key = key.slice(0, ending.index)
    return key
  }

  const EXACT = 10
  const PLAIN = /^[\p{L}\p{N}]+$/u

  function rewrite(query) {
    query = query.replace(WORD, key)
    if (/["+\-:^~*]/.test(query)) return query  // lunr's own syntax: left as the reader wrote it
    const words = query.split(/\s+/).filter(word => word)
    const whole = words.filter(word => PLAIN.test(word)).map(word => `${word}^${EXACT}`)
    return [...words, ...whole].join(" ")
  }

  // Material's message for a query: { type: SearchMessageType.QUERY, data: "..." }
  const QUERY = 2
  const prepared = (message) =>
    message && message.type === QUERY && typeof message.data === "string"
      ? { ...message, data: rewrite(message.data) }
      : message

  // Search, loaded when the reader opens it. Material fetches the search index
  // and starts its worker (which loads lunr's languages) as every page loads:
  // about 40 KB, a third of a first visit, that a reader who never searches
  // would download. So this script, loaded before Material's bundle, holds
  // both back until the reader first opens search (a tap or click on its
  // button, focus on its field, or a keyboard shortcut, which focuses the
  // field); then Material goes on as usual.
  let open
  const opened = new Promise((resolve) => { open = resolve })
  const isIndex = (url) =>
    /\/search\/search_index\.json$/.test(new URL(url, document.baseURI).pathname)

  const xhrOpen = XMLHttpRequest.prototype.open
  const xhrSend = XMLHttpRequest.prototype.send
  const held = new WeakSet()
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    if (isIndex(String(url))) held.add(this)
    return xhrOpen.call(this, method, url, ...rest)
  }
  XMLHttpRequest.prototype.send = function (...args) {
    if (!held.has(this)) return xhrSend.apply(this, args)
    opened.then(() => xhrSend.apply(this, args))
  }

  const RealWorker = window.Worker
  const post = RealWorker.prototype.postMessage
  class HeldWorker extends EventTarget {
    constructor(url, options) {
      super()
      this.queue = []
      this.worker = null
      opened.then(() => {
        const worker = new RealWorker(url, options)
        for (const type of ["message", "messageerror", "error"]) {
          worker.addEventListener(type, (event) => {
            this.dispatchEvent(type === "error"
              ? new ErrorEvent("error", event)
              : new MessageEvent(type, { data: event.data }))
          })
        }
        this.worker = worker
        for (const [message, ...rest] of this.queue) post.call(worker, message, ...rest)
        this.queue = []
      })
    }
    postMessage(message, ...rest) {
      message = prepared(message)
      if (this.worker) post.call(this.worker, message, ...rest)
      else this.queue.push([message, ...rest])
    }
    terminate() {
      if (this.worker) this.worker.terminate()
    }
  }
  window.Worker = HeldWorker

  const start = () => open()
  document.addEventListener("focusin", (event) => {
    if (event.target instanceof Element && event.target.matches(".md-search__input")) start()
  })
  document.addEventListener("change", (event) => {
    if (event.target instanceof Element && event.target.id === "__search") start()
  })
  document.addEventListener("pointerdown", (event) => {
    if (event.target instanceof Element && event.target.closest("label[for=__search], .md-search"))
      start()
  }, true)
})()
