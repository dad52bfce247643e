// Images and audio with the npm `openai` package, unchanged:
// images.generate (dall-e-3 by URL, gpt-image-1 as b64_json),
// audio.speech.create (binary audio read from the Response),
// audio.transcriptions.create and audio.translations.create (multipart
// uploads with toFile), images.edit (several images and a mask; streamed),
// images.createVariation, streamed image generation and transcription
// (stream: true), and the errors. Run by e2e/node_test.go
// (TestNodeMedia) with SWITCHYARD_URL set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI, { toFile } from 'openai';

const baseURL = process.env.SWITCHYARD_URL;
if (!baseURL) throw new Error('SWITCHYARD_URL is not set; run this through `go test ./e2e/`');
const client = new OpenAI({ baseURL, apiKey: 'demo-key', maxRetries: 0 });

// wav is seconds of silent 24 kHz 16-bit mono WAV.
function wav(seconds) {
  const n = seconds * 48000;
  const b = Buffer.alloc(44 + n);
  b.write('RIFF', 0); b.writeUInt32LE(36 + n, 4); b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(1, 22);
  b.writeUInt32LE(24000, 24); b.writeUInt32LE(48000, 28); b.writeUInt16LE(2, 32); b.writeUInt16LE(16, 34);
  b.write('data', 36); b.writeUInt32LE(n, 40);
  return b;
}

test('images.generate', async () => {
  const { data: img, response } = await client.images.generate({ model: 'dall-e-3', prompt: 'a red fox', size: '1024x1024' }).withResponse();
  assert.equal(img.data.length, 1);
  assert.match(img.data[0].url, /^https:\/\//);
  assert.match(img.data[0].revised_prompt, /red fox/);
  assert.equal(response.headers.get('x-switchyard-deployment'), 'dall-e-3');
  assert.ok(Math.abs(Number(response.headers.get('x-switchyard-cost-usd')) - 0.04) < 1e-4);

  const gpt = await client.images.generate({ model: 'gpt-image-1', prompt: 'a lighthouse', n: 2, quality: 'high' });
  assert.equal(gpt.data.length, 2);
  assert.ok(gpt.data[0].b64_json.length > 0);
  assert.equal(gpt.quality, 'high');
  assert.ok(gpt.usage.output_tokens > 0);
});

test('audio.speech.create', async () => {
  const res = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'Hello from the router.', response_format: 'wav' });
  assert.equal(res.headers.get('content-type'), 'audio/wav');
  const audio = Buffer.from(await res.arrayBuffer());
  assert.equal(audio.subarray(0, 4).toString(), 'RIFF');
  assert.ok(audio.length > 1000);
  assert.ok(Number(res.headers.get('x-switchyard-cost-usd')) > 0);
});

test('audio.transcriptions.create and audio.translations.create', async () => {
  const t = await client.audio.transcriptions.create({ model: 'whisper-1', file: await toFile(wav(4), 'meeting.wav'), language: 'en' });
  assert.match(t.text, /meeting\.wav/);
  const v = await client.audio.transcriptions.create({ model: 'whisper-1', file: await toFile(wav(4), 'meeting.wav'), response_format: 'verbose_json' });
  assert.equal(v.duration, 4);
  const srt = await client.audio.transcriptions.create({ model: 'whisper-1', file: await toFile(wav(4), 'meeting.wav'), response_format: 'srt' });
  assert.match(srt, /^1\n00:00:00,000 --> 00:00:04,000\n/);
  const tr = await client.audio.translations.create({ model: 'whisper-1', file: await toFile(wav(2), 'rede.wav') });
  assert.match(tr.text, /rede\.wav/);
});

const png = (name) => toFile(Buffer.from('\x89PNG\r\n\x1a\n' + name), name, { type: 'image/png' });

test('images.edit and images.createVariation', async () => {
  const { data: edit, response } = await client.images.edit({
    model: 'gpt-image-1', image: [await png('lotion.png'), await png('soap.png')], mask: await png('mask.png'),
    prompt: 'a gift basket', quality: 'low', input_fidelity: 'high',
  }).withResponse();
  assert.equal(edit.data.length, 1);
  assert.ok(edit.data[0].b64_json.length > 0);
  assert.equal(edit.quality, 'low');
  assert.equal(response.headers.get('x-switchyard-deployment'), 'gpt-image-1');
  assert.ok(Math.abs(Number(response.headers.get('x-switchyard-cost-usd')) - 0.011) < 1e-6);

  const events = [];
  const stream = await client.images.edit({ model: 'gpt-image-1', image: await png('room.png'), prompt: 'add a lamp', stream: true, partial_images: 1 });
  for await (const ev of stream) events.push(ev.type);
  assert.deepEqual(events, ['image_edit.partial_image', 'image_edit.completed']);

  const v = await client.images.createVariation({ model: 'dall-e-2', image: await png('otter.png'), n: 2, size: '256x256' });
  assert.equal(v.data.length, 2);
  assert.match(v.data[0].url, /^https:\/\//);
});

test('streamed image generation and transcription', async () => {
  const types = [];
  let completed;
  const images = await client.images.generate({ model: 'gpt-image-1', prompt: 'a lighthouse', stream: true, partial_images: 2, quality: 'low' });
  for await (const ev of images) {
    types.push(ev.type);
    completed = ev;
  }
  assert.deepEqual(types, ['image_generation.partial_image', 'image_generation.partial_image', 'image_generation.completed']);
  assert.equal(completed.usage.output_tokens, 272 + 200);

  let text = '';
  let done;
  const tr = await client.audio.transcriptions.create({ model: 'gpt-4o-transcribe', file: await toFile(wav(4), 'meeting.wav'), stream: true });
  for await (const ev of tr) {
    if (ev.type === 'transcript.text.delta') text += ev.delta;
    if (ev.type === 'transcript.text.done') done = ev;
  }
  assert.equal(text, done.text);
  assert.match(done.text, /meeting\.wav/);
  assert.equal(done.usage.input_token_details.audio_tokens, 41);

  await assert.rejects(async () => {
    const s = await client.audio.transcriptions.create({ model: 'whisper-1', file: await toFile(wav(1), 'a.wav'), stream: true });
    for await (const _ of s) { /* never reached */ }
  }, (e) => e.status === 400 && e.param === 'stream');
});

test('errors in OpenAI\'s shape', async () => {
  await assert.rejects(client.images.generate({ model: 'gpt-4o-mini', prompt: 'p' }),
    (e) => e.status === 400 && e.param === 'model' && /does not serve image generation/.test(e.message));
  await assert.rejects(client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: '' }),
    (e) => e.status === 400 && e.param === 'input');
  await assert.rejects(client.audio.transcriptions.create({ model: 'no-such-model', file: await toFile(wav(1), 'a.wav') }),
    (e) => e.status === 404 && e.code === 'model_not_found');
});

// The media options npm openai 7 types and 6 did not reach the upstream
// as sent: images' complexity and safety_identifier, the transcription's
// keywords and languages (form arrays).
test('the media options of openai 7', async () => {
  const img = await client.images.generate({ model: 'gpt-image-1', prompt: 'a lighthouse', complexity: 'low', safety_identifier: 'user-7' });
  assert.equal(img.data.length, 1);
  const t = await client.audio.transcriptions.create({
    model: 'whisper-1', file: await toFile(wav(2), 'call.wav'), keywords: ['Switchyard', 'Peru'], languages: ['en', 'es'],
  });
  assert.match(t.text, /call\.wav/);
});
