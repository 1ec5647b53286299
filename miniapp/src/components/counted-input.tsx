import { Input, Text, View } from '@tarojs/components';
import { nameProblem, textLength } from '../logic/text-limit';
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

/**
 * A name field with its limit in view ("3/20"), red with a reason once the API would refuse what
 * is typed (too long, invisible characters, nothing visible); never cut silently.
 */
export function CountedInput({ value, onChange, max, placeholder, tooLong, className = '', type = 'text' }: Props) {
  const problem = nameProblem(value, max);
  const reason = problem === 'too_long' ? tooLong : problem === 'hidden' ? S.common.nameHidden : S.common.nameBlank;
  return (
    <View className={`counted ${className}`}>
      <View className={`input counted__box ${problem ? 'counted__box--over' : ''}`}>
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
        <Text className={`counted__count ${problem === 'too_long' ? 'counted__count--over' : ''}`}>{S.common.count(textLength(value), max)}</Text>
      </View>
      {problem ? <Text className='counted__error'>{reason}</Text> : null}
    </View>
  );
}
