// thrum reference sender: an ADXL345 3-axis accelerometer streamed over serial in the thrum wire protocol
// (docs/protocol.md), either as binary `frames` (int16 counts + scale, COBS, CRC-32) or as `csv` lines.
//
// Wiring (I2C): ADXL345 VCC→3.3V, GND→GND, SDA→SDA, SCL→SCL, CS→3.3V (selects I2C), SDO→GND (address 0x53).
// Matching thrum.yaml:
//   serial: { path: /dev/ttyUSB0, baudRate: 500000, format: frames, channels: 3, sampleRate: 800 }
// (use `format: csv, csvTimestamp: t_us` when THRUM_FORMAT is THRUM_CSV: its lines start with a µs timestamp).
//
// The sensor paces the samples itself: it runs at SAMPLE_RATE_HZ into its 32-entry FIFO and the loop drains
// the FIFO, so a blocking Serial.write never makes the sample clock jitter.

#include <Wire.h>
#include <string.h>

// ---- Configuration -------------------------------------------------------------------------------------
#define THRUM_FRAMES 1
#define THRUM_CSV 2
#define THRUM_FORMAT THRUM_FRAMES  // THRUM_CSV for human-readable lines (e.g. the Serial Monitor)

// Optional runtime switch: a pin that, pulled to GND (a jumper), selects csv regardless of THRUM_FORMAT.
const int CSV_JUMPER_PIN = -1;  // e.g. 7; -1 = no jumper

const uint32_t BAUD = 500000;  // frames at 800 Hz need ~5.3 kB/s, csv ~25 kB/s; 500000 is exact on 16 MHz AVRs
const uint8_t SENSOR_ID = 0;   // tells several senders apart; frames carry it, csv does not
const uint8_t CHANNELS = 3;    // x, y, z
const uint16_t SAMPLES_PER_FRAME = 32;  // per channel: 40 ms of data per frame at 800 Hz
const float SCALE_G = 0.0039f;          // full-resolution mode: 3.9 mg per count at any range

// ---- ADXL345 -------------------------------------------------------------------------------------------
const uint8_t ADXL345_ADDRESS = 0x53;  // 0x1D with SDO high
const uint8_t REG_DEVID = 0x00;        // reads 0xE5
const uint8_t REG_BW_RATE = 0x2C;
const uint8_t REG_POWER_CTL = 0x2D;
const uint8_t REG_DATA_FORMAT = 0x31;
const uint8_t REG_DATAX0 = 0x32;  // X0 X1 Y0 Y1 Z0 Z1, little-endian int16
const uint8_t REG_FIFO_CTL = 0x38;
const uint8_t REG_FIFO_STATUS = 0x39;
const uint8_t RATE_800_HZ = 0x0D;  // 0x0E = 1600 Hz, 0x0F = 3200 Hz (then raise BAUD; frames only)
const uint8_t FULL_RES_16G = 0x0B; // FULL_RES | ±16 g
const uint8_t MEASURE = 0x08;
const uint8_t FIFO_STREAM = 0x80;

void writeRegister(uint8_t reg, uint8_t value) {
  Wire.beginTransmission(ADXL345_ADDRESS);
  Wire.write(reg);
  Wire.write(value);
  Wire.endTransmission();
}

uint8_t readRegisters(uint8_t reg, uint8_t* out, uint8_t count) {
  Wire.beginTransmission(ADXL345_ADDRESS);
  Wire.write(reg);
  if (Wire.endTransmission(false) != 0) return 0;
  uint8_t got = Wire.requestFrom(ADXL345_ADDRESS, count);
  for (uint8_t i = 0; i < got; i++) out[i] = Wire.read();
  return got;
}

bool startSensor() {
  uint8_t id = 0;
  if (readRegisters(REG_DEVID, &id, 1) != 1 || id != 0xE5) return false;
  writeRegister(REG_POWER_CTL, 0);  // standby while configuring
  writeRegister(REG_BW_RATE, RATE_800_HZ);
  writeRegister(REG_DATA_FORMAT, FULL_RES_16G);
  writeRegister(REG_FIFO_CTL, FIFO_STREAM);
  writeRegister(REG_POWER_CTL, MEASURE);
  return true;
}

// ---- CRC-32 (IEEE, as zlib): nibble table, 64 bytes of RAM instead of 1 KiB -----------------------------
const uint32_t CRC_NIBBLE[16] = {
  0x00000000UL, 0x1DB71064UL, 0x3B6E20C8UL, 0x26D930ACUL, 0x76DC4190UL, 0x6B6B51F4UL, 0x4DB26158UL, 0x5005713CUL,
  0xEDB88320UL, 0xF00F9344UL, 0xD6D6A3E8UL, 0xCB61B38CUL, 0x9B64C2B0UL, 0x86D3D2D4UL, 0xA00AE278UL, 0xBDBDF21CUL,
};

uint32_t crc32(const uint8_t* data, size_t length) {
  uint32_t crc = 0xFFFFFFFFUL;
  for (size_t i = 0; i < length; i++) {
    crc ^= data[i];
    crc = (crc >> 4) ^ CRC_NIBBLE[crc & 0x0F];
    crc = (crc >> 4) ^ CRC_NIBBLE[crc & 0x0F];
  }
  return ~crc;  // check: crc32("123456789") == 0xCBF43926
}

// ---- COBS: returns the encoded length; dst needs length + length / 254 + 1 bytes --------------------------
size_t cobsEncode(const uint8_t* src, size_t length, uint8_t* dst) {
  size_t codeAt = 0;
  size_t out = 1;
  uint8_t code = 1;
  for (size_t i = 0; i < length; i++) {
    if (src[i] == 0) {
      dst[codeAt] = code;
      codeAt = out++;
      code = 1;
      continue;
    }
    dst[out++] = src[i];
    if (++code == 0xFF && i + 1 < length) {  // a full group of 254 non-zero bytes
      dst[codeAt] = code;
      codeAt = out++;
      code = 1;
    }
  }
  dst[codeAt] = code;
  return out;
}

// ---- frames ---------------------------------------------------------------------------------------------
const size_t HEADER_BYTES = 14;  // int16 frames: version..format (10) + scale (4)
const size_t PACKET_BYTES = HEADER_BYTES + 2UL * CHANNELS * SAMPLES_PER_FRAME + 4;
uint8_t packet[PACKET_BYTES];
uint8_t encoded[PACKET_BYTES + PACKET_BYTES / 254 + 2];
uint16_t samplesInFrame = 0;
uint32_t seq = 0;

void putU16(uint8_t* at, uint16_t v) {
  at[0] = v & 0xFF;
  at[1] = v >> 8;
}

void putU32(uint8_t* at, uint32_t v) {
  for (uint8_t i = 0; i < 4; i++) at[i] = (v >> (8 * i)) & 0xFF;
}

void sendFrame() {
  packet[0] = 1;  // version
  packet[1] = SENSOR_ID;
  putU32(packet + 2, seq++);  // wraps to 0 after 0xFFFFFFFF; the receiver expects that
  packet[6] = CHANNELS;
  putU16(packet + 7, samplesInFrame);
  packet[9] = 0;  // int16 with scale
  uint32_t scaleBits;
  memcpy(&scaleBits, &SCALE_G, 4);  // IEEE-754 float on AVR, ARM and ESP32
  putU32(packet + 10, scaleBits);
  size_t crcAt = HEADER_BYTES + 2UL * CHANNELS * samplesInFrame;
  putU32(packet + crcAt, crc32(packet, crcAt));
  size_t length = cobsEncode(packet, crcAt + 4, encoded);
  encoded[length++] = 0x00;  // delimiter
  Serial.write(encoded, length);
  samplesInFrame = 0;
}

void addToFrame(const int16_t* counts) {
  uint8_t* at = packet + HEADER_BYTES + 2UL * CHANNELS * samplesInFrame;
  for (uint8_t c = 0; c < CHANNELS; c++) putU16(at + 2 * c, (uint16_t)counts[c]);
  if (++samplesInFrame == SAMPLES_PER_FRAME) sendFrame();
}

// ---- csv ------------------------------------------------------------------------------------------------
uint32_t lastMicros = 0;
uint64_t timeUs = 0;  // micros() wraps every 71 minutes; this does not

void printU64(uint64_t v) {
  char digits[21];
  uint8_t n = 0;
  do {
    digits[n++] = '0' + (v % 10);
    v /= 10;
  } while (v > 0);
  while (n > 0) Serial.write(digits[--n]);
}

void sendCsvLine(const int16_t* counts) {
  // The FIFO hides exact sample instants; the read time is close enough to notice drift and dropouts.
  uint32_t now = micros();
  timeUs += (uint32_t)(now - lastMicros);
  lastMicros = now;
  printU64(timeUs);
  for (uint8_t c = 0; c < CHANNELS; c++) {
    Serial.write(',');
    Serial.print(counts[c] * SCALE_G, 4);
  }
  Serial.write("\r\n");
}

// ---- main -----------------------------------------------------------------------------------------------
bool csvMode = THRUM_FORMAT == THRUM_CSV;

void setup() {
  Serial.begin(BAUD);
  Wire.begin();
  Wire.setClock(400000);
  if (CSV_JUMPER_PIN >= 0) {
    pinMode(CSV_JUMPER_PIN, INPUT_PULLUP);
    if (digitalRead(CSV_JUMPER_PIN) == LOW) csvMode = true;
  }
  while (!startSensor()) {
    // In csv mode this line counts as a header (or one bad line); in frames mode stay silent: text is noise.
    if (csvMode) Serial.println(F("# ADXL345 not found, retrying"));
    delay(1000);
  }
  if (csvMode) {
    Serial.println(F("t_us,x_g,y_g,z_g"));
    lastMicros = micros();
  } else {
    Serial.write((uint8_t)0x00);  // ends whatever partial frame the receiver saw before a reset
  }
}

void loop() {
  uint8_t status = 0;
  if (readRegisters(REG_FIFO_STATUS, &status, 1) != 1) return;
  for (uint8_t entries = status & 0x3F; entries > 0; entries--) {
    uint8_t raw[6];
    if (readRegisters(REG_DATAX0, raw, 6) != 6) return;  // reading all six bytes pops one FIFO entry
    int16_t counts[CHANNELS];
    for (uint8_t c = 0; c < CHANNELS; c++) counts[c] = (int16_t)(raw[2 * c] | (raw[2 * c + 1] << 8));
    if (csvMode) sendCsvLine(counts);
    else addToFrame(counts);
  }
}
