import { Input, Text, View } from '@tarojs/components';
import { fitsLimit, textLength } from '../logic/text-limit';
import { S } from '../strings';

interface Props {
  value: string;
  onChange: (v: string) => void;
  max: number;
  placeholder: string;
  /** The sentence shown once the text is over `max`. */
  tooLong: string;
  className?: string;
  type?: 'text' | 'nickname';
}

/** A text field with its limit in view ("3/20"), red with a reason once over it; never cut silently. */
export function CountedInput({ value, onChange, max, placeholder, tooLong, className = '', type = 'text' }: Props) {
  const over = !fitsLimit(value, max);
  return (
    <View className={`counted ${className}`}>
      <View className={`input counted__box ${over ? 'counted__box--over' : ''}`}>
        <Input
          className='counted__input'
          type={type}
          placeholder={placeholder}
          placeholderClass='input__placeholder'
          value={value}
          onInput={(e) => onChange(e.detail.value)}
          // The nickname keyboard fills the field without an input event on some devices.
          onBlur={(e) => onChange(e.detail.value)}
        />
        <Text className={`counted__count ${over ? 'counted__count--over' : ''}`}>{S.common.count(textLength(value), max)}</Text>
      </View>
      {over ? <Text className='counted__error'>{tooLong}</Text> : null}
    </View>
  );
}
