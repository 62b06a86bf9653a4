// Runs generateTrace on a worker thread so that the trace replay overlaps session generation.
import { parentPort, workerData } from 'node:worker_threads'
import { generateTrace } from './trace.mjs'

parentPort.postMessage(generateTrace(workerData))
