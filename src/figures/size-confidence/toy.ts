/**
 * The toy of figure 7: five token rows in the plane and a vector x given by
 * length and angle. Logits are u_i · x; probabilities softmax at T = 1.
 * Pure (no React).
 */
import { softmax } from '../../geometry/softmax';

export interface ToyToken {
  label: string;
  angle: number; // degrees
  length: number;
}

export function toyTokens(goldLength: number): ToyToken[] {
  return [
    { label: ' red', angle: 62, length: 1 },
    { label: ' gold', angle: 108, length: goldLength },
    { label: ' green', angle: -8, length: 1 },
    { label: ' blue', angle: -78, length: 1 },
    { label: ' grey', angle: 195, length: 1 },
  ];
}

export function toyVector(length: number, angleDeg: number): [number, number] {
  const a = (angleDeg * Math.PI) / 180;
  return [length * Math.cos(a), length * Math.sin(a)];
}

export function toyRow(t: ToyToken): [number, number] {
  return toyVector(t.length, t.angle);
}

export function toyLogits(tokens: ToyToken[], x: [number, number]): number[] {
  return tokens.map((t) => {
    const u = toyRow(t);
    return u[0] * x[0] + u[1] * x[1];
  });
}

export function toyProbs(tokens: ToyToken[], length: number, angleDeg: number): number[] {
  return Array.from(softmax(toyLogits(tokens, toyVector(length, angleDeg)), 1));
}

/** Angle between x's direction and each token's direction, degrees in [0, 180]. */
export function toyAngles(tokens: ToyToken[], angleDeg: number): number[] {
  return tokens.map((t) => {
    let d = Math.abs(((t.angle - angleDeg) % 360) + 360) % 360;
    if (d > 180) d = 360 - d;
    return d;
  });
}
